import { recapRenderJob } from "./assets/render.job.js";
import type { Deps } from "./deps.js";
import { customerEmailJob } from "./mail/customer-email.job.js";
import { momentsEvaluateJob } from "./moments/evaluate.js";
import { IDEMPOTENCY_PURGE_JOB, idempotencyPurgeJob } from "./platform/idempotency/idempotency.js";
import type { AnyJobDefinition } from "./platform/queue/queue.js";
import { tenantProvisionJob } from "./platform/tenancy/tenants.js";
import { recapDraftJob } from "./recaps/draft.job.js";
import { recapHiddenRedraftJob } from "./recaps/hidden-redraft.job.js";
import { QUARTERLY_SCHEDULE_JOB, quarterlyScheduleJob } from "./recaps/schedule.js";
import { USAGE_PARTITIONS_JOB, usagePartitionsJob } from "./usage/partitions.js";
import { rollupRebuildJob } from "./usage/rollups.js";
import { webhookDeliveryJob } from "./webhooks/deliver.job.js";

/** Every job kind the service runs. Features add theirs here. */
export function jobDefinitions(deps: Deps): AnyJobDefinition[] {
  return [
    tenantProvisionJob(deps.db),
    idempotencyPurgeJob(deps.db),
    recapDraftJob(deps),
    recapHiddenRedraftJob(deps),
    recapRenderJob(deps),
    rollupRebuildJob(deps),
    usagePartitionsJob(deps),
    momentsEvaluateJob(deps),
    quarterlyScheduleJob(deps),
    webhookDeliveryJob(deps),
    customerEmailJob(deps),
  ];
}

/** Recurring jobs (pg-boss cron, one run per slot across all instances). */
export const SCHEDULES: { name: string; cron: string }[] = [
  { name: IDEMPOTENCY_PURGE_JOB, cron: "17 * * * *" },
  // Hourly, so each account's own midnight after the chosen day is met within the hour.
  { name: QUARTERLY_SCHEDULE_JOB, cron: "5 * * * *" },
  // Daily: usage_events' monthly partitions three months ahead, and retention (USAGE_RETENTION_MONTHS).
  { name: USAGE_PARTITIONS_JOB, cron: "41 2 * * *" },
];
