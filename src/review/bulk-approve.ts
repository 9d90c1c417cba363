import type { Deps } from "../deps.js";
import { AppError } from "../platform/errors.js";
import type { Actor } from "../recaps/recap-actions.js";
import { approveRecap } from "../recaps/recap-changes.js";
import { getRecap } from "../recaps/recaps.js";
import type { RecapState } from "../recaps/recaps.schema.js";

export const BULK_APPROVE_LIMIT = 100;

export type BulkPick = { id: string; version: number };
export type BulkOutcome = {
  id: string;
  label: string;
  outcome: "approved" | "skipped" | "failed";
  message: string;
};

/** Bulk approval takes only the drafts nobody needs to look at closely. */
export const isCleanDraft = (row: { state: RecapState; flagged: boolean; factCheckOk: boolean | null }) =>
  row.state === "pending_review" && !row.flagged && row.factCheckOk === true;

/**
 * Approves each picked recap that is still the clean draft the reviewer saw (same version), one
 * by one through the ordinary approval, and says what happened to each: a changed or flagged
 * recap is never approved in bulk.
 */
export async function bulkApproveClean(
  deps: Pick<Deps, "db" | "queue" | "clock" | "recapReactions">,
  tenantId: string,
  actor: Actor,
  picks: BulkPick[],
): Promise<BulkOutcome[]> {
  const results: BulkOutcome[] = [];
  for (const pick of picks.slice(0, BULK_APPROVE_LIMIT)) {
    const recap = await getRecap(deps.db, tenantId, pick.id).catch(() => null);
    if (!recap) {
      results.push({ id: pick.id, label: "Unknown recap", outcome: "failed", message: "not found" });
      continue;
    }
    const label = `${recap.accountName}, ${recap.period}`;
    if (recap.version !== pick.version) {
      results.push({
        id: pick.id,
        label,
        outcome: "failed",
        message: "not approved: someone changed it since the queue was loaded; open it to review the changes",
      });
      continue;
    }
    if (!isCleanDraft({ ...recap, factCheckOk: recap.factCheck?.ok ?? null })) {
      results.push({
        id: pick.id,
        label,
        outcome: "skipped",
        message: "skipped: not a clean draft, review it on its own",
      });
      continue;
    }
    try {
      await approveRecap(deps, { tenantId, recapId: pick.id, actor, expectedVersion: pick.version }, null);
      results.push({ id: pick.id, label, outcome: "approved", message: "approved" });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const message =
        error.code === "precondition_failed"
          ? "not approved: someone changed it since the queue was loaded; open it to review the changes"
          : `not approved: ${error.message}`;
      results.push({ id: pick.id, label, outcome: "failed", message });
    }
  }
  return results;
}
