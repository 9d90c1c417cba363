import type postgres from "postgres";
import type { JobQueue } from "../platform/queue/queue.js";

/** New usage stored by one batch: the tenant and the accounts that got events (duplicates left out). */
export type EventsStored = { tenantId: string; accountIds: string[] };

/**
 * What another feature does when usage arrives (moments/ checks its value-moment rules). Runs in
 * the batch's transaction, so a job it enqueues exists only if the events were stored. The
 * composition root lists the reactions in `deps.usageReactions`; usage/ does not know who they are.
 */
export type UsageReaction = (
  deps: { queue: JobQueue },
  tx: postgres.TransactionSql,
  stored: EventsStored,
) => Promise<void>;
