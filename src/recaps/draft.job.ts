import { and, eq, sql } from "drizzle-orm";
import type { Deps } from "../deps.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { RECAP_DRAFT_JOB } from "./generate.js";
import { recaps } from "./recaps.schema.js";

/**
 * Drafting the copy arrives with the drafting feature. Until then the job only hands the recap,
 * digest and all, to review. Idempotent: only a recap still in `drafting` moves.
 */
export function recapDraftJob(deps: Pick<Deps, "db">): JobDefinition<{ recapId: string; tenantId: string }> {
  return {
    name: RECAP_DRAFT_JOB,
    queue: { retryLimit: 5, retryBackoff: true, expireInSeconds: 300 },
    concurrency: 2,
    async handle({ recapId, tenantId }) {
      await deps.db
        .update(recaps)
        .set({ state: "pending_review", version: sql`${recaps.version} + 1`, updatedAt: new Date() })
        .where(and(eq(recaps.id, recapId), eq(recaps.tenantId, tenantId), eq(recaps.state, "drafting")));
    },
  };
}
