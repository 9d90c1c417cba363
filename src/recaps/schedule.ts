import { eq, isNotNull } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { chooseLocale } from "../i18n/choose-locale.js";
import { unlessRunningElsewhere } from "../platform/db/session-lock.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import type { Tenant } from "../platform/tenancy/tenants.js";
import type { Account } from "../usage/accounts.js";
import { loadDigestMetrics, type PeerCache } from "../usage/compute-digest.js";
import type { DigestMetric } from "../usage/digest.types.js";
import { lastFullQuarter, type Quarter, quarterLabel, quarterRange } from "../usage/period.js";
import { accounts } from "../usage/usage.schema.js";
import { runAnnualSchedule } from "./annual-schedule.js";
import { existingRecapPeriods } from "./existing-periods.js";
import { createQuarterlyRecaps } from "./generate.js";

export const QUARTERLY_SCHEDULE_JOB = "recaps.schedule-quarterly";
/** A tenant that turns the schedule on late still gets last quarter's recaps, but not older ones. */
const CATCH_UP_DAYS = 45;
const DAY_MS = 86_400_000;
/** Recaps the schedule creates side by side (it uses that many database connections). */
const SCHEDULE_CONCURRENCY = 3;
/**
 * Recaps inserted per transaction. Small enough that drafting starts a moment after the close
 * does and that tenants still alternate within a batch; big enough to spare most commits.
 */
const SCHEDULE_BATCH = 10;

export type ScheduleSummary = {
  created: number;
  existing: number;
  insufficientData: number;
  notDue: number;
  /** Due accounts of tenants with no value model yet: counted and skipped, so the other tenants' close goes on. */
  noValueModel: number;
  /** True when another run (another worker's cron, or the last hour's) was still going: this one did nothing. */
  skipped?: boolean;
};

/**
 * Creates last quarter's recap for every account of every tenant whose chosen day after the
 * quarter's end has come, in each account's own time zone. At most once per account and quarter:
 * the unique index on quarterly recaps holds that even when two workers run this at once.
 *
 * Fair between tenants: accounts are taken round-robin across tenants (one of each in turn), and
 * each tenant's n-th draft job gets priority -n. pg-boss fetches the highest priority first, so
 * the drafts interleave by tenant too, and a small tenant's close is not queued behind a big
 * one's (nor behind what is left of an earlier hour's). Drafts someone asked for through the API
 * keep priority 0 and go before the whole close.
 *
 * One run at a time: a second one started meanwhile would compute every digest again only to
 * lose each insert to the unique index (at a close of 10,000 accounts, twice the work), so it
 * returns at once and the next hour's run picks up anything left.
 */
export async function runQuarterlySchedule(
  deps: Pick<Deps, "db" | "sql" | "queue" | "clock" | "log">,
): Promise<ScheduleSummary> {
  const ran = await unlessRunningElsewhere(deps.sql, QUARTERLY_SCHEDULE_JOB, () => createDueRecaps(deps));
  return ran ?? { created: 0, existing: 0, insufficientData: 0, notDue: 0, noValueModel: 0, skipped: true };
}

async function createDueRecaps(deps: Pick<Deps, "db" | "sql" | "queue" | "clock" | "log">): Promise<ScheduleSummary> {
  const summary: ScheduleSummary = {
    created: 0,
    existing: 0,
    insufficientData: 0,
    notDue: 0,
    noValueModel: 0,
  };
  const scheduled = await deps.db.select().from(tenants).where(isNotNull(tenants.recapScheduleDay));
  const now = deps.clock.now();
  const due: { tenant: Tenant; metrics: DigestMetric[]; accounts: { account: Account; quarter: Quarter }[] }[] = [];
  for (const tenant of scheduled) {
    const tenantAccounts = await deps.db.select().from(accounts).where(eq(accounts.tenantId, tenant.id));
    const existing = await existingRecapPeriods(deps, tenant.id, "quarterly");
    const dueAccounts: { account: Account; quarter: Quarter }[] = [];
    for (const account of tenantAccounts) {
      const quarter = lastFullQuarter(now, account.timeZone);
      const dueAt = quarterRange(quarter, account.timeZone).end.getTime() + (tenant.recapScheduleDay ?? 0) * DAY_MS;
      if (now.getTime() < dueAt || now.getTime() > dueAt + CATCH_UP_DAYS * DAY_MS) {
        summary.notDue++;
        continue;
      }
      if (existing.has(`${account.id}|${quarterLabel(quarter)}`)) {
        summary.existing++;
        continue;
      }
      dueAccounts.push({ account, quarter });
    }
    if (dueAccounts.length === 0) continue;
    const metrics = await loadDigestMetrics(deps, tenant.id);
    if (metrics.length === 0) {
      // createRecap would throw for each of them and stop every other tenant's close with it.
      summary.noValueModel += dueAccounts.length;
      deps.log.warn({ tenantId: tenant.id }, "quarterly schedule: the tenant has no value model");
      continue;
    }
    due.push({ tenant, metrics, accounts: dueAccounts });
  }
  const peerCache: PeerCache = new Map();
  const rounds = Math.max(0, ...due.map((entry) => entry.accounts.length));
  const turns = Array.from({ length: rounds }, (_, rank) =>
    due.flatMap(({ tenant, metrics, accounts: dueAccounts }) => {
      const next = dueAccounts[rank];
      return next ? [{ tenant, metrics, ...next, rank }] : [];
    }),
  ).flat();
  // A few batches at once: a digest is a few queries, and the database has more cores than one
  // query uses. Each batch is inserted in one transaction (createQuarterlyRecaps).
  const take = async () => {
    for (let batch = turns.splice(0, SCHEDULE_BATCH); batch.length > 0; batch = turns.splice(0, SCHEDULE_BATCH)) {
      const outcomes = await createQuarterlyRecaps(
        deps,
        batch.map((turn) => ({
          tenant: turn.tenant,
          account: turn.account,
          quarter: turn.quarter,
          locale: chooseLocale(turn.account, turn.tenant),
          metrics: turn.metrics,
          peerCache,
          priority: -(turn.rank + 1),
        })),
      );
      for (const outcome of outcomes) {
        if (outcome === "created") summary.created++;
        else if (outcome === "exists") summary.existing++;
        else summary.insufficientData++;
      }
    }
  };
  await Promise.all(Array.from({ length: SCHEDULE_CONCURRENCY }, take));
  return summary;
}

export function quarterlyScheduleJob(
  deps: Pick<Deps, "db" | "sql" | "queue" | "clock" | "log">,
): JobDefinition<object> {
  return {
    name: QUARTERLY_SCHEDULE_JOB,
    queue: { retryLimit: 2, expireInSeconds: 3600 },
    async handle() {
      const summary = await runQuarterlySchedule(deps);
      deps.log.info({ job: QUARTERLY_SCHEDULE_JOB, ...summary }, "quarterly schedule ran");
      // The year in review rides on the same hourly schedule (see annual-schedule.ts).
      const annual = await runAnnualSchedule(deps);
      deps.log.info({ job: QUARTERLY_SCHEDULE_JOB, annual }, "annual schedule ran");
    },
  };
}
