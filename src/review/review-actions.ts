import { eq } from "drizzle-orm";
import { ensureAssetsBeforePublishing, type PublishGuardDeps, showPublishedAssets } from "../assets/publish-guard.js";
import type { Deps } from "../deps.js";
import { copyMatchesDigest, type RecapCopy, recapCopySchema } from "../drafting/copy.schema.js";
import { allowedFor } from "../drafting/draft-copy.js";
import { describeMismatches, type FactCheckResult, factCheck } from "../drafting/fact-check.js";
import { stripInvisibleDeep } from "../drafting/sanitize.js";
import { isSupportedLocale } from "../i18n/locales.js";
import type { DbExecutor } from "../platform/db/client.js";
import { ProblemError, validationFailed } from "../platform/http/problem.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { RECAP_DRAFT_JOB } from "../recaps/generate.js";
import type { Recap } from "../recaps/recaps.js";
import { accounts } from "../usage/usage.schema.js";
import { type Actor, applyRecapAction } from "./recap-actions.js";
import type { FieldChange } from "./review.schema.js";

type ActionDeps = Pick<Deps, "db" | "queue" | "clock">;
type Target = { tenantId: string; recapId: string; actor: Actor; expectedVersion: number };

/** The fact-check of some copy for this recap, with the names and milestone its numbers may quote. */
export async function checkCopyFor(tx: DbExecutor, recap: Recap, copy: RecapCopy): Promise<FactCheckResult> {
  if (recap.digest.status !== "ok") throw new ProblemError({ status: 409, code: "conflict", detail: "No facts." });
  const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, recap.accountId));
  const tenant = await getTenant(tx, recap.tenantId);
  const allowed = allowedFor({
    digest: recap.digest,
    account: { name: account?.name ?? "" },
    tenant: { name: tenant.name, productName: tenant.brand.productName },
    milestone: recap.origin.type === "trigger" ? recap.origin.detail : null,
  });
  return factCheck(copy, allowed, isSupportedLocale(recap.locale) ? recap.locale : "en");
}

/**
 * A reviewer's edit: the fields sent replace the current ones, the whole copy must still fit the
 * schema and the digest, and every number is checked again. A number that matches no fact does
 * not stop the edit from being saved (the reviewer may be half-way), but it blocks approval.
 */
export async function editCopy(deps: ActionDeps, target: Target, fields: Partial<RecapCopy>) {
  return applyRecapAction(deps, {
    ...target,
    action: "edit",
    plan: async (recap, tx) => {
      if (!recap.copy) throw new ProblemError({ status: 409, code: "conflict", detail: "The recap has no copy yet." });
      const merged = stripInvisibleDeep({ ...recap.copy, ...fields });
      const parsed = recapCopySchema.safeParse(merged);
      if (!parsed.success) {
        throw validationFailed(
          parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
        );
      }
      const factIds = recap.digest.status === "ok" ? recap.digest.facts.map((fact) => fact.id) : [];
      const mismatched = copyMatchesDigest(parsed.data, factIds);
      if (mismatched.length > 0) throw validationFailed(mismatched.map((message) => ({ path: "highlights", message })));
      const checked = await checkCopyFor(tx, recap, parsed.data);
      const changes: FieldChange[] = (Object.keys(fields) as (keyof RecapCopy)[])
        .filter((field) => JSON.stringify(recap.copy?.[field]) !== JSON.stringify(parsed.data[field]))
        .map((field) => ({ field: `copy.${field}`, from: recap.copy?.[field], to: parsed.data[field] }));
      return { set: { copy: parsed.data, factCheck: checked, flagged: !checked.ok }, changes };
    },
  });
}

/**
 * Approval needs a clean fact-check. A reviewer who knows better (a number quoted from the
 * customer's own press release, say) may override with a reason, which the audit trail keeps.
 */
export async function approveRecap(deps: ActionDeps, target: Target, override: { reason: string } | null) {
  return applyRecapAction(deps, {
    ...target,
    action: "approve",
    reason: override ? `fact-check overridden: ${override.reason}` : null,
    plan: (recap) => {
      if (!recap.copy) throw new ProblemError({ status: 409, code: "conflict", detail: "The recap has no copy yet." });
      if (recap.factCheck && !recap.factCheck.ok && !override) {
        throw new ProblemError({
          status: 409,
          code: "fact_check_failed",
          detail:
            "A number in the copy matches no fact. Fix it, or approve with an override and a reason: " +
            describeMismatches(recap.factCheck).slice(0, 3).join(" "),
          extensions: { mismatches: recap.factCheck.mismatches },
        });
      }
      return { changes: override ? [{ field: "factCheck.override", from: null, to: override.reason }] : [] };
    },
  });
}

export function rejectRecap(deps: ActionDeps, target: Target, reason: string) {
  return applyRecapAction(deps, { ...target, action: "reject", reason });
}

/** Sends the recap back to the drafter with the reviewer's instructions (an LLM reads them). */
export async function requestRedraft(deps: ActionDeps, target: Target, instructions: string) {
  const recap = await applyRecapAction(deps, { ...target, action: "request_redraft", reason: instructions });
  await deps.queue.enqueue(RECAP_DRAFT_JOB, { recapId: recap.id, tenantId: recap.tenantId, instructions });
  return recap;
}

/**
 * Publishing is the end customer's consent: the record keeps when, who, the exact text they
 * agreed to and the numbers they chose to hide.
 */
export async function publishRecap(
  deps: ActionDeps & PublishGuardDeps,
  target: Target,
  hiddenFactIds: string[] | undefined,
) {
  await ensureAssetsBeforePublishing(deps, target.tenantId, target.recapId, hiddenFactIds);
  const published = await applyRecapAction(deps, {
    ...target,
    action: "publish",
    plan: (recap) => {
      const factIds = recap.digest.status === "ok" ? recap.digest.facts.map((fact) => fact.id) : [];
      const hidden = [...new Set(hiddenFactIds ?? recap.hiddenFactIds)];
      const unknown = hidden.filter((id) => !factIds.includes(id));
      if (unknown.length > 0) {
        throw validationFailed(
          unknown.map((id) => ({ path: "hiddenFactIds", message: `"${id}" is not a fact of this recap` })),
        );
      }
      if (factIds.length > 0 && hidden.length >= factIds.length) {
        throw validationFailed([{ path: "hiddenFactIds", message: "would hide every number; unpublish instead" }]);
      }
      return {
        set: { hiddenFactIds: hidden },
        changes: [
          { field: "hiddenFactIds", from: recap.hiddenFactIds, to: hidden },
          { field: "consent", from: null, to: { agreedTo: recap.copy, hiddenFactIds: hidden } },
        ],
      };
    },
  });
  await showPublishedAssets(deps, published.tenantId, published.id);
  return published;
}

export function unpublishRecap(deps: ActionDeps, target: Target, reason: string | null) {
  return applyRecapAction(deps, { ...target, action: "unpublish", reason });
}
