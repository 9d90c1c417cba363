import { and, eq, sql } from "drizzle-orm";
import { RECAP_RENDER_JOB } from "../assets/render.job.js";
import type { Deps } from "../deps.js";
import { draftCopy } from "../drafting/draft-copy.js";
import type { DraftInput, OkDigest } from "../drafting/drafter.types.js";
import { createTemplateDrafter } from "../drafting/template-drafter.js";
import { hasTokenBudget, recordLlmUsage, tokenCostUsd } from "../drafting/token-budget.js";
import { formatFact } from "../i18n/format.js";
import { isSupportedLocale } from "../i18n/locales.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { accounts } from "../usage/usage.schema.js";
import { RECAP_DRAFT_JOB } from "./generate.js";
import { type RecapState, recaps } from "./recaps.schema.js";

const RETRY_LIMIT = 5;
const template = createTemplateDrafter();

type DraftJobData = { recapId: string; tenantId: string };

/**
 * Writes the copy of a recap in `drafting` and hands it to review (or approves it, when the
 * tenant's policy allows and nothing is flagged). Idempotent: only a recap still in `drafting`
 * moves, so a retried or duplicated job changes nothing the first one finished. After the last
 * retry the recap is marked `failed` with the error, so it does not wait in `drafting` forever.
 */
export function recapDraftJob(
  deps: Pick<Deps, "db" | "clock" | "log" | "config" | "drafter" | "queue">,
): JobDefinition<DraftJobData> {
  return {
    name: RECAP_DRAFT_JOB,
    queue: { retryLimit: RETRY_LIMIT, retryBackoff: true, expireInSeconds: 300 },
    concurrency: 2,
    async handle(data, job) {
      try {
        await draftRecap(deps, data);
      } catch (error) {
        if (job.retryCount >= RETRY_LIMIT) await markFailed(deps, data, error);
        throw error;
      }
    },
  };
}

export async function draftRecap(
  deps: Pick<Deps, "db" | "clock" | "config" | "drafter" | "queue">,
  { recapId, tenantId }: DraftJobData,
): Promise<void> {
  const [row] = await deps.db
    .select({ recap: recaps, accountName: accounts.name })
    .from(recaps)
    .innerJoin(accounts, eq(accounts.id, recaps.accountId))
    .where(and(eq(recaps.id, recapId), eq(recaps.tenantId, tenantId)));
  if (row?.recap.state !== "drafting") return;
  const { recap } = row;
  if (recap.digest.status !== "ok") throw new Error("A recap without an ok digest cannot be drafted.");
  const tenant = await getTenant(deps.db, tenantId);
  const locale = isSupportedLocale(recap.locale) ? recap.locale : "en";
  const digest: OkDigest = recap.digest;

  const input: DraftInput = {
    digest,
    formatted: digest.facts.map((fact) => formatFact(fact, locale, digest.currency)),
    locale,
    variant: recap.variant,
    kind: recap.kind,
    milestone: recap.origin.type === "trigger" ? recap.origin.detail : null,
    account: { name: row.accountName },
    tenant: { name: tenant.name, productName: tenant.brand.productName },
  };
  const now = deps.clock.now();
  const prices = deps.config.openai?.prices;
  const llmAllowed =
    deps.drafter.name === template.name || (await hasTokenBudget(deps.db, tenant, deps.config.monthlyTokenBudget, now));

  const outcome = await draftCopy(input, {
    drafter: deps.drafter,
    template,
    llmAllowed,
    maxRetries: deps.config.draftFactCheckRetries,
    now,
    // Recorded per call and at once: tokens are spent even when the copy is thrown away.
    onUsage: async (usage) => {
      await recordLlmUsage(deps.db, {
        tenantId,
        recapId,
        model: deps.drafter.model ?? deps.drafter.name,
        usage,
        costUsd: prices ? tokenCostUsd(usage, prices) : 0,
        at: deps.clock.now(),
      });
    },
  });
  const record = {
    ...outcome.record,
    costUsd: outcome.record.usage && prices ? tokenCostUsd(outcome.record.usage, prices) : null,
  };
  const flagged = record.flags.length > 0 || !outcome.factCheck.ok;
  const next: RecapState = tenant.approvalPolicy === "auto_when_clean" && !flagged ? "approved" : "pending_review";

  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(recaps)
      .set({
        copy: outcome.copy,
        factCheck: outcome.factCheck,
        flagged,
        drafting: record,
        state: next,
        stateReason: next === "approved" ? "approved automatically: the fact-check found nothing to flag" : null,
        version: sql`${recaps.version} + 1`,
        updatedAt: deps.clock.now(),
      })
      .where(and(eq(recaps.id, recapId), eq(recaps.tenantId, tenantId), eq(recaps.state, "drafting")))
      .returning({ id: recaps.id });
    // An approved recap's cards are rendered at once, so they are ready before anyone shares them.
    if (updated && next === "approved") await deps.queue.enqueue(RECAP_RENDER_JOB, { recapId, tenantId }, { tx });
  });
}

async function markFailed(deps: Pick<Deps, "db" | "clock" | "log">, data: DraftJobData, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  deps.log.error({ err: error, recapId: data.recapId }, "drafting failed for good");
  await deps.db
    .update(recaps)
    .set({
      state: "failed",
      stateReason: `drafting failed: ${message}`.slice(0, 1000),
      version: sql`${recaps.version} + 1`,
      updatedAt: deps.clock.now(),
    })
    .where(and(eq(recaps.id, data.recapId), eq(recaps.tenantId, data.tenantId), eq(recaps.state, "drafting")));
}
