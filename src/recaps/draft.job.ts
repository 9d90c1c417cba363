import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import type { RecapCopy, Wording } from "../drafting/copy.schema.js";
import { type DraftingRecord, type DraftOutcome, draftCopy } from "../drafting/draft-copy.js";
import type { DraftInput, OkDigest } from "../drafting/drafter.types.js";
import type { FactCheckResult } from "../drafting/fact-check.js";
import { type HiddenFacts, visibleDigest } from "../drafting/hidden-facts.js";
import { hasTokenBudget, recordLlmUsage, tokenCostUsd } from "../drafting/token-budget.js";
import { formatFact } from "../i18n/format.js";
import { type AppErrorCode, isAppError } from "../platform/errors.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { getTenant, type Tenant } from "../platform/tenancy/tenants.js";
import { accounts } from "../usage/usage.schema.js";
import { RECAP_DRAFT_JOB } from "./generate.js";
import { applyRecapAction } from "./recap-actions.js";
import type { Recap } from "./recaps.js";
import { type RecapState, recaps } from "./recaps.schema.js";

const RETRY_LIMIT = 5;

/** `instructions`: what a reviewer asked for when sending the recap back for a redraft. */
type DraftJobData = { recapId: string; tenantId: string; instructions?: string };

/**
 * Writes the copy of a recap in `drafting` and hands it to review (or approves it, when the
 * tenant's policy allows and nothing is flagged). Idempotent: only a recap still in `drafting`
 * moves, so a retried or duplicated job changes nothing the first one finished. After the last
 * retry the recap is marked `failed` with the error, so it does not wait in `drafting` forever.
 */
export function recapDraftJob(deps: DraftingJobDeps): JobDefinition<DraftJobData> {
  return {
    name: RECAP_DRAFT_JOB,
    queue: { retryLimit: RETRY_LIMIT, retryBackoff: true, expireInSeconds: 300 },
    // Four at a time: while one job reads or writes the database, another's copy is being written
    // on a drafting thread (or awaits the model).
    concurrency: 4,
    // The close enqueues thousands at once: keep fetching while there is a backlog, in batches big
    // enough that the fetch (a scan past every job fetched before it) is paid once per eight jobs.
    batchSize: 8,
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
  deps: WriteDeps & Pick<Deps, "queue" | "recapReactions">,
  { recapId, tenantId, instructions }: DraftJobData,
): Promise<void> {
  const [row] = await deps.db
    .select({ recap: recaps, accountName: accounts.name })
    .from(recaps)
    .innerJoin(accounts, eq(accounts.id, recaps.accountId))
    .where(and(eq(recaps.id, recapId), eq(recaps.tenantId, tenantId)));
  if (row?.recap.state === "redraft_requested") {
    await asSystem(() =>
      applyRecapAction(deps, { tenantId, recapId, action: "start_redraft", actor: SYSTEM, expectedVersion: null }),
    );
    return draftRecap(deps, { recapId, tenantId, ...(instructions ? { instructions } : {}) });
  }
  if (row?.recap.state !== "drafting") return;
  const tenant = await getTenant(deps.db, tenantId);
  const written = await writeCopy(deps, row.recap, { tenant, accountName: row.accountName }, instructions ?? null);
  const next: RecapState =
    tenant.approvalPolicy === "auto_when_clean" && !written.flagged ? "approved" : "pending_review";

  await asSystem(() =>
    applyRecapAction(deps, {
      tenantId,
      recapId,
      action: next === "approved" ? "auto_approve" : "draft_completed",
      actor: SYSTEM,
      expectedVersion: null,
      reason: next === "approved" ? "approved automatically: the fact-check found nothing to flag" : null,
      plan: (locked) => ({
        set: {
          copy: written.copy,
          copyAlternatives: written.alternatives,
          // A new draft: the customer's earlier pick of wording no longer applies; their look does.
          customerChoices: withoutWording(locked),
          factCheck: written.factCheck,
          flagged: written.flagged,
          drafting: written.record,
          copyHiddenFactIds: written.hiddenFactIds,
          ...(next === "approved"
            ? { stateReason: "approved automatically: the fact-check found nothing to flag" }
            : {}),
        },
        changes: [
          { field: "drafting", from: null, to: { drafter: written.record.drafter, flags: written.record.flags } },
        ],
      }),
    }),
  );
}

type WriteDeps = Pick<Deps, "db" | "clock" | "config" | "drafter" | "templateDrafter" | "templateDrafting" | "metrics">;

/** What a job that writes a recap's copy and moves it on needs (the draft and the hidden-number redraft). */
export type DraftingJobDeps = WriteDeps & Pick<Deps, "log" | "queue" | "recapReactions">;

/** The customer's choices without the wording, for a copy the drafter has just written anew. */
export function withoutWording(recap: Pick<Recap, "customerChoices">) {
  const { wording: _, ...rest } = recap.customerChoices ?? {};
  return rest;
}

/**
 * The copy for a recap as it stands, written by the configured drafter (the templates when it
 * fails or the budget is spent) and fact-checked. Facts the end customer hid are left out of
 * everything the drafter sees, and copy that still shows one of their numbers fails the check.
 */
export async function writeCopy(
  deps: WriteDeps,
  recap: Recap,
  { tenant, accountName }: { tenant: Tenant; accountName: string },
  instructions: string | null,
): Promise<{
  copy: RecapCopy;
  alternatives: Wording[];
  factCheck: FactCheckResult;
  flagged: boolean;
  record: DraftingRecord;
  hiddenFactIds: string[];
}> {
  const { tenantId, id: recapId } = recap;
  if (recap.digest.status !== "ok") throw new Error("A recap without an ok digest cannot be drafted.");
  const locale = recap.locale;
  const hiddenFactIds = [...new Set(recap.hiddenFactIds)].sort();
  const digest: OkDigest = visibleDigest(recap.digest, hiddenFactIds);

  const input: DraftInput = {
    digest,
    formatted: digest.facts.map((fact) => formatFact(fact, locale, digest.currency)),
    locale,
    variant: recap.variant,
    kind: recap.kind,
    milestone: recap.origin.type === "trigger" ? recap.origin.detail : null,
    moment: recap.origin.type === "trigger" ? (recap.origin.ruleName ?? null) : null,
    account: { name: accountName },
    tenant: { name: tenant.name, productName: tenant.brand.productName },
  };
  const now = deps.clock.now();
  const prices = deps.config.openai?.prices;
  const llmAllowed =
    deps.drafter.name === deps.templateDrafter.name ||
    (await hasTokenBudget(deps.db, tenant, deps.config.monthlyTokenBudget, now));

  const hidden = hiddenFactIds.length > 0 ? { digest: recap.digest, hiddenFactIds } : undefined;
  const outcome = await draftWith(deps, input, { llmAllowed, instructions, hidden, tenantId, recapId, now });
  const record = {
    ...outcome.record,
    costUsd: outcome.record.usage && prices ? tokenCostUsd(outcome.record.usage, prices) : null,
  };
  const flagged = record.flags.length > 0 || !outcome.factCheck.ok;
  return {
    copy: outcome.copy,
    alternatives: outcome.alternatives,
    factCheck: outcome.factCheck,
    flagged,
    record,
    hiddenFactIds,
  };
}

/**
 * The copy from the configured drafter. Without an LLM the templates write it in the drafting
 * threads (templateDrafting); an LLM's drafts, their checks and any fallback run here, where the
 * model's answers arrive and each call's token use is recorded at once.
 */
async function draftWith(
  deps: WriteDeps,
  input: DraftInput,
  context: {
    llmAllowed: boolean;
    instructions: string | null;
    hidden: HiddenFacts | undefined;
    tenantId: string;
    recapId: string;
    now: Date;
  },
): Promise<DraftOutcome> {
  const { hidden, tenantId, recapId, now } = context;
  if (deps.drafter.name === deps.templateDrafter.name) {
    const { outcome, attempts } = await deps.templateDrafting.draft(input, { ...(hidden ? { hidden } : {}), now });
    for (const attempt of attempts) deps.metrics.observeDraft(attempt);
    return outcome;
  }
  const prices = deps.config.openai?.prices;
  return draftCopy(input, {
    drafter: deps.drafter,
    template: deps.templateDrafter,
    llmAllowed: context.llmAllowed,
    maxRetries: deps.config.draftFactCheckRetries,
    instructions: context.instructions,
    ...(hidden ? { hidden } : {}),
    now,
    // Recorded per call and at once: tokens are spent even when the copy is thrown away.
    onUsage: async (usage) => {
      const model = deps.drafter.model ?? deps.drafter.name;
      const costUsd = prices ? tokenCostUsd(usage, prices) : 0;
      deps.metrics.countLlmUsage({
        model,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        costUsd,
      });
      await recordLlmUsage(deps.db, { tenantId, recapId, model, usage, costUsd, at: deps.clock.now() });
    },
    onAttempt: (attempt) => deps.metrics.observeDraft(attempt),
  });
}

export const SYSTEM = { type: "system", id: null, name: "drafting job" } as const;

/**
 * A duplicate or late job finds the recap already moved on: the state machine refuses the move
 * (illegal_transition, or a conflict its plan found), which for the system means "someone else
 * finished this", not an error. A recap whose account was erased while its copy was being written
 * is gone (not_found): nothing is left to do either.
 */
const ALREADY_MOVED_ON: AppErrorCode[] = ["illegal_transition", "conflict", "not_found"];

export async function asSystem(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isAppError(error, ...ALREADY_MOVED_ON)) return;
    throw error;
  }
}

async function markFailed(
  deps: Pick<Deps, "db" | "clock" | "log" | "queue" | "recapReactions">,
  data: DraftJobData,
  error: unknown,
) {
  const message = error instanceof Error ? error.message : String(error);
  deps.log.error({ err: error, recapId: data.recapId }, "drafting failed for good");
  await asSystem(() =>
    applyRecapAction(deps, {
      tenantId: data.tenantId,
      recapId: data.recapId,
      action: "draft_failed",
      actor: SYSTEM,
      expectedVersion: null,
      reason: `drafting failed: ${message}`.slice(0, 1000),
      plan: () => ({ set: { stateReason: `drafting failed: ${message}`.slice(0, 1000) } }),
    }),
  );
}
