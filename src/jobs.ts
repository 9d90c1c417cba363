import type { Deps } from "./deps.js";
import { IDEMPOTENCY_PURGE_JOB, idempotencyPurgeJob } from "./platform/idempotency/idempotency.js";
import type { AnyJobDefinition } from "./platform/queue/queue.js";
import { tenantProvisionJob } from "./platform/tenancy/tenants.js";
import { recapDraftJob } from "./recaps/draft.job.js";
import { rollupRebuildJob } from "./usage/rollups.js";

/** Every job kind the service runs. Features add theirs here. */
export function jobDefinitions(deps: Pick<Deps, "db" | "log" | "clock">): AnyJobDefinition[] {
  return [tenantProvisionJob(deps.db), idempotencyPurgeJob(deps.db), recapDraftJob(deps), rollupRebuildJob(deps)];
}

/** Recurring jobs (pg-boss cron, one run per slot across all instances). */
export const SCHEDULES: { name: string; cron: string }[] = [{ name: IDEMPOTENCY_PURGE_JOB, cron: "17 * * * *" }];
