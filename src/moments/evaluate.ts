import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { chooseLocale } from "../i18n/choose-locale.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { createRecap } from "../recaps/generate.js";
import { recaps } from "../recaps/recaps.schema.js";
import type { Account } from "../usage/accounts.js";
import { loadDigestMetrics } from "../usage/compute-digest.js";
import { accountAggregates } from "../usage/digest-query.js";
import { quarterContaining } from "../usage/period.js";
import { accounts } from "../usage/usage.schema.js";
import type { UsageReaction } from "../usage/usage-reactions.js";
import { momentFirings, momentRules } from "./moments.schema.js";

export const MOMENTS_EVALUATE_JOB = "moments.evaluate";

/** However many rules fire, an account gets at most one milestone recap in this many days. */
export const MILESTONE_MIN_GAP_DAYS = 7;
const DAY_MS = 86_400_000;

type Rule = typeof momentRules.$inferSelect;
type Deps_ = Pick<Deps, "db" | "sql" | "queue" | "clock">;

/** What a rule sees for one account now: a description when it fires, otherwise undefined. */
async function check(deps: Deps_, rule: Rule, account: Account, now: Date): Promise<string | undefined> {
  const windowStart = new Date(now.getTime() - (rule.windowDays ?? 30) * DAY_MS);
  if (rule.kind === "first_event") {
    const [row] = await deps.sql`
      select 1 from usage_rollups where account_id = ${account.id} and event = ${rule.event ?? ""} limit 1`;
    return row ? `first ${rule.event}` : undefined;
  }
  if (rule.kind === "distinct_users") {
    const [row] = await deps.sql<{ n: number }[]>`
      select count(distinct value)::int as n from usage_distinct_values
      where account_id = ${account.id} and event = ${rule.event ?? ""} and property = ${rule.property ?? ""}
        and bucket >= ${windowStart.toISOString()}::timestamptz`;
    const count = row?.n ?? 0;
    return count >= (rule.threshold ?? Number.POSITIVE_INFINITY)
      ? `${count} distinct ${rule.property} used ${rule.event} in ${rule.windowDays} days (threshold ${rule.threshold})`
      : undefined;
  }
  const metric = (await loadDigestMetrics(deps, rule.tenantId)).find((candidate) => candidate.key === rule.metricKey);
  if (!metric) return undefined;
  const window = { label: "window", start: windowStart, end: new Date(now.getTime() + 1), timeZone: account.timeZone };
  const { aggregates } = await accountAggregates(deps.sql, {
    accountId: account.id,
    metrics: [metric],
    period: window,
    previous: { ...window, start: windowStart },
  });
  const value = (aggregates.get(metric.key)?.current ?? 0) * metric.multiplier;
  return value >= (rule.threshold ?? Number.POSITIVE_INFINITY)
    ? `${metric.key} reached ${Math.round(value * 10) / 10} ${metric.unit} in ${rule.windowDays} days (threshold ${rule.threshold})`
    : undefined;
}

/**
 * Records a firing under a per-(rule, account) lock, so two evaluations of the same new usage
 * cannot both fire; false when the rule already fired within its cooldown (ever, for first_event).
 */
async function claimFiring(deps: Deps_, rule: Rule, account: Account, detail: string, now: Date) {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${rule.id}:${account.id}`}, 0))`);
    const since = rule.kind === "first_event" ? new Date(0) : new Date(now.getTime() - rule.cooldownDays * DAY_MS);
    const [recent] = await tx
      .select({ id: momentFirings.id })
      .from(momentFirings)
      .where(
        and(
          eq(momentFirings.ruleId, rule.id),
          eq(momentFirings.accountId, account.id),
          gt(momentFirings.firedAt, since),
        ),
      );
    if (recent) return undefined;
    const [milestone] = await tx
      .select({ id: recaps.id })
      .from(recaps)
      .where(
        and(
          eq(recaps.accountId, account.id),
          eq(recaps.kind, "milestone"),
          gt(recaps.createdAt, new Date(now.getTime() - MILESTONE_MIN_GAP_DAYS * DAY_MS)),
        ),
      )
      .orderBy(desc(recaps.createdAt))
      .limit(1);
    const [firing] = await tx
      .insert(momentFirings)
      .values({
        ruleId: rule.id,
        tenantId: rule.tenantId,
        accountId: account.id,
        firedAt: now,
        detail,
        outcome: milestone ? "skipped_recent_milestone" : "pending",
      })
      .returning();
    return milestone ? undefined : firing;
  });
}

export type FiringResult = { ruleId: string; accountId: string; outcome: string; recapId: string | null };

/** Evaluates every rule of the tenant for the accounts that just received usage. */
export async function evaluateMoments(deps: Deps_, tenantId: string, accountIds: string[]): Promise<FiringResult[]> {
  const rules = await deps.db.select().from(momentRules).where(eq(momentRules.tenantId, tenantId));
  if (rules.length === 0 || accountIds.length === 0) return [];
  // Without a value model there is no recap to make; the rules wait until one exists.
  if ((await loadDigestMetrics(deps, tenantId)).length === 0) return [];
  const tenant = await getTenant(deps.db, tenantId);
  const targets = await deps.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.tenantId, tenantId), inArray(accounts.id, accountIds)));
  const now = deps.clock.now();
  const results: FiringResult[] = [];
  for (const account of targets) {
    for (const rule of rules) {
      const detail = await check(deps, rule, account, now);
      if (!detail) continue;
      const firing = await claimFiring(deps, rule, account, detail, now);
      if (!firing) continue;
      const created = await createRecap(deps, {
        tenant,
        account,
        quarter: quarterContaining(now, account.timeZone),
        kind: "milestone",
        locale: chooseLocale(account, tenant),
        origin: { type: "trigger", ruleId: rule.id, detail },
      });
      const outcome = created.status === "created" ? "created" : "insufficient_data";
      const recapId = created.status === "created" ? created.recap.id : null;
      await deps.db.update(momentFirings).set({ outcome, recapId }).where(eq(momentFirings.id, firing.id));
      results.push({ ruleId: rule.id, accountId: account.id, outcome, recapId });
    }
  }
  return results;
}

export function momentsEvaluateJob(deps: Deps_): JobDefinition<{ tenantId: string; accountIds: string[] }> {
  return {
    name: MOMENTS_EVALUATE_JOB,
    queue: { retryLimit: 3, retryBackoff: true },
    concurrency: 2,
    async handle({ tenantId, accountIds }) {
      await evaluateMoments(deps, tenantId, accountIds);
    },
  };
}

/**
 * Usage arrived: the accounts that got events are checked against the tenant's rules by a job
 * enqueued in the batch's transaction (none when the tenant has no rules).
 */
export const evaluateMomentsOnNewEvents: UsageReaction = async (deps, tx, { tenantId, accountIds }) => {
  const [{ rules } = { rules: 0 }] = await tx<{ rules: number }[]>`
    select count(*)::int as rules from moment_rules where tenant_id = ${tenantId}`;
  if (rules > 0) await deps.queue.enqueue(MOMENTS_EVALUATE_JOB, { tenantId, accountIds }, { tx });
};
