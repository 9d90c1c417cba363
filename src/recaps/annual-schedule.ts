import { eq, isNotNull } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { chooseLocale } from "../i18n/choose-locale.js";
import { firstWorkingDayFrom } from "../platform/calendar/holiday-calendar.js";
import { unlessRunningElsewhere } from "../platform/db/session-lock.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { loadDigestMetrics } from "../usage/compute-digest.js";
import { yearContaining, zonedMidnight } from "../usage/period.js";
import { accounts } from "../usage/usage.schema.js";
import { existingRecapPeriods } from "./existing-periods.js";
import { createRecap } from "./generate.js";

export type AnnualScheduleSummary = {
  created: number;
  existing: number;
  insufficientData: number;
  notDue: number;
  /** Accounts of tenants with no value model yet: nothing to count, so no recap, and the others go on. */
  noValueModel: number;
  /** Accounts whose recap failed for any other reason (logged); the next hour's run tries them again. */
  failed: number;
  /** True when another run was still going: this one did nothing (see runQuarterlySchedule). */
  skipped?: boolean;
};

/**
 * The day a tenant's year in review is due in `year`, in the account's zone: the chosen "MM-DD",
 * or the first working day after it when it falls on a weekend or, with the tenant's holiday
 * calendar ("FI", "DE-BY"), on a public holiday (a recap lands on a working day), unless that
 * working day is already next year.
 */
export function annualDueDate(
  annualRecapDay: string,
  year: number,
  timeZone: string,
  holidayCalendar?: string | null,
): Date {
  const chosen = `${year}-${annualRecapDay}`;
  const working = firstWorkingDayFrom(chosen, holidayCalendar);
  const date = working.startsWith(`${year}-`) ? working : chosen;
  return zonedMidnight(year, Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), timeZone);
}

/**
 * Creates this year's year in review (the year so far) for every account of every tenant whose
 * `annualRecapDay` has come in the account's time zone, until the year ends. At most once per
 * account and year: the unique index on annual recaps holds that when several runs fire at once.
 */
export async function runAnnualSchedule(
  deps: Pick<Deps, "db" | "sql" | "queue" | "clock" | "log">,
): Promise<AnnualScheduleSummary> {
  // One run at a time, like the quarterly close: a second would compute every digest again.
  const ran = await unlessRunningElsewhere(deps.sql, "recaps.schedule-annual", () => createDueAnnualRecaps(deps));
  return ran ?? { created: 0, existing: 0, insufficientData: 0, notDue: 0, noValueModel: 0, failed: 0, skipped: true };
}

async function createDueAnnualRecaps(
  deps: Pick<Deps, "db" | "sql" | "queue" | "clock" | "log">,
): Promise<AnnualScheduleSummary> {
  const summary: AnnualScheduleSummary = {
    created: 0,
    existing: 0,
    insufficientData: 0,
    notDue: 0,
    noValueModel: 0,
    failed: 0,
  };
  const scheduled = await deps.db.select().from(tenants).where(isNotNull(tenants.annualRecapDay));
  const now = deps.clock.now();
  for (const tenant of scheduled) {
    if (!tenant.annualRecapDay) continue;
    const tenantAccounts = await deps.db.select().from(accounts).where(eq(accounts.tenantId, tenant.id));
    const existing = await existingRecapPeriods(deps, tenant.id, "annual");
    // Read once per tenant; a tenant without one is counted and skipped, not thrown on (it would stop every other tenant).
    let metrics: Awaited<ReturnType<typeof loadDigestMetrics>> | undefined;
    for (const account of tenantAccounts) {
      const year = yearContaining(now, account.timeZone);
      if (now < annualDueDate(tenant.annualRecapDay, year, account.timeZone, tenant.holidayCalendar)) {
        summary.notDue++;
        continue;
      }
      if (existing.has(`${account.id}|${year}`)) {
        summary.existing++;
        continue;
      }
      if (!metrics) {
        metrics = await loadDigestMetrics(deps, tenant.id);
        if (metrics.length === 0)
          deps.log.warn({ tenantId: tenant.id }, "annual schedule: the tenant has no value model");
      }
      if (metrics.length === 0) {
        summary.noValueModel++;
        continue;
      }
      try {
        const result = await createRecap(deps, {
          tenant,
          account,
          year,
          kind: "annual",
          locale: chooseLocale(account, tenant),
          origin: { type: "schedule" },
          metrics,
          knownAbsent: true,
        });
        if (result.status === "created") summary.created++;
        else if (result.status === "exists") summary.existing++;
        else summary.insufficientData++;
      } catch (error) {
        summary.failed++;
        deps.log.error({ err: error, tenantId: tenant.id, accountId: account.id, year }, "annual recap failed");
      }
    }
  }
  return summary;
}
