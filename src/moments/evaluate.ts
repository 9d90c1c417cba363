import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { chooseLocale } from "../i18n/choose-locale.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { getTenant, type Tenant } from "../platform/tenancy/tenants.js";
import { createRecap } from "../recaps/generate.js";
import { recaps } from "../recaps/recaps.schema.js";
import type { Account } from "../usage/accounts.js";
import { loadDigestMetrics } from "../usage/compute-digest.js";
import { accountAggregates } from "../usage/digest-query.js";
import { quarterContaining, trailingWindow } from "../usage/period.js";
import { accounts } from "../usage/usage.schema.js";
import type { UsageReaction } from "../usage/usage-reactions.js";
import { momentFirings, momentRules, OPEN_OUTCOMES } from "./moments.schema.js";

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

type Firing = typeof momentFirings.$inferSelect;

/** A milestone recap covers the rule's window, or this many days for a rule without one (a first event). */
export const DEFAULT_MILESTONE_WINDOW_DAYS = 90;

/** The rule made (or was covered by) a recap within its cooldown, counted from that recap; ever for a first event. */
function coolingDown(rule: Rule, history: Firing[], now: Date): boolean {
  const settled = history.filter((firing) => firing.ruleId === rule.id && !OPEN_OUTCOMES.includes(firing.outcome));
  if (rule.kind === "first_event") return settled.length > 0;
  const since = now.getTime() - rule.cooldownDays * DAY_MS;
  return settled.some((firing) => (firing.resolvedAt ?? firing.firedAt).getTime() > since);
}

/** The first day this account used the product: a window reaching further back reads "since you started". */
async function firstUsage(deps: Deps_, accountId: string): Promise<Date | null> {
  const [row] = await deps.sql<{ first: Date | null }[]>`
    select min(bucket) as first from usage_rollups where account_id = ${accountId}`;
  return row?.first ? new Date(row.first) : null;
}

export type FiringResult = { ruleId: string; accountId: string; outcome: string; recapId: string | null };

/**
 * One account's value moments, under a per-account lock (two evaluations of the same usage cannot
 * both fire, nor make two recaps): rules that fire now join the firings still open from earlier
 * usage, and together they make at most one milestone recap over the trailing window that ends
 * now. When the data gate refuses it, every firing stays open with the reason, for the next batch.
 */
async function evaluateAccount(
  deps: Deps_,
  tenant: Tenant,
  account: Account,
  rules: Rule[],
  now: Date,
): Promise<FiringResult[]> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`moments:${account.id}`}, 0))`);
    const history = await tx
      .select()
      .from(momentFirings)
      .where(and(eq(momentFirings.tenantId, tenant.id), eq(momentFirings.accountId, account.id)));
    const open = history.filter((firing) => OPEN_OUTCOMES.includes(firing.outcome));
    const waiting = new Set(open.map((firing) => firing.ruleId));
    const fresh: Firing[] = [];
    for (const rule of rules) {
      if (waiting.has(rule.id) || coolingDown(rule, history, now)) continue;
      const detail = await check(deps, rule, account, now);
      if (!detail) continue;
      const [firing] = await tx
        .insert(momentFirings)
        .values({
          ruleId: rule.id,
          tenantId: rule.tenantId,
          accountId: account.id,
          firedAt: now,
          detail,
          outcome: "pending",
          lastAttemptAt: now,
        })
        .returning();
      if (firing) fresh.push(firing);
    }
    const ruleOf = new Map(rules.map((rule) => [rule.id, rule]));
    // The longest-waiting firing leads; a firing of a rule deleted meanwhile is gone (cascade).
    const firings = [...open, ...fresh]
      .filter((firing) => ruleOf.has(firing.ruleId))
      .sort((a, b) => a.firedAt.getTime() - b.firedAt.getTime());
    const lead = firings[0];
    const leadRule = lead && ruleOf.get(lead.ruleId);
    if (!lead || !leadRule) return [];
    const settle = async (values: Partial<typeof momentFirings.$inferInsert>) => {
      for (const firing of firings) {
        await tx
          .update(momentFirings)
          .set({
            ...values,
            lastAttemptAt: now,
            attempts: fresh.includes(firing) ? firing.attempts : firing.attempts + 1,
          })
          .where(eq(momentFirings.id, firing.id));
      }
      return firings.map((firing) => ({
        ruleId: firing.ruleId,
        accountId: account.id,
        outcome: values.outcome ?? firing.outcome,
        recapId: values.recapId ?? null,
      }));
    };

    const [recent] = await tx
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
    if (recent)
      return settle({ outcome: "skipped_recent_milestone", recapId: recent.id, reason: null, resolvedAt: now });

    const days = Math.max(
      ...firings.map((firing) => ruleOf.get(firing.ruleId)?.windowDays ?? DEFAULT_MILESTONE_WINDOW_DAYS),
    );
    const created = await createRecap(
      { ...deps, db: tx },
      {
        tenant,
        account,
        quarter: quarterContaining(now, account.timeZone),
        window: trailingWindow(now, days, account.timeZone, await firstUsage(deps, account.id)),
        kind: "milestone",
        locale: chooseLocale(account, tenant),
        origin: {
          type: "trigger",
          ruleId: leadRule.id,
          detail: lead.detail,
          ruleName: leadRule.name,
          ruleIds: [...new Set(firings.map((firing) => firing.ruleId))],
        },
      },
    );
    if (created.status === "created")
      return settle({ outcome: "created", recapId: created.recap.id, reason: null, resolvedAt: now });
    const reason =
      created.status === "insufficient_data" ? created.digest.reasons.join("; ") : "a recap for this period exists";
    return settle({ outcome: "insufficient_data", reason });
  });
}

/** Evaluates every rule of the tenant for the accounts that just received usage. */
export async function evaluateMoments(deps: Deps_, tenantId: string, accountIds: string[]): Promise<FiringResult[]> {
  const rules = await deps.db
    .select()
    .from(momentRules)
    .where(eq(momentRules.tenantId, tenantId))
    .orderBy(asc(momentRules.createdAt), asc(momentRules.id));
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
  for (const account of targets) results.push(...(await evaluateAccount(deps, tenant, account, rules, now)));
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
