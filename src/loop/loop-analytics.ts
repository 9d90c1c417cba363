import { and, count, eq, gte, lt, sql } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "../recaps/recaps.schema.js";
import { compareVariants, type VariantComparison } from "./ab-test.js";
import { erasedRecapTallies } from "./erased-tallies.schema.js";
import { type LoopEconomicsReport, loopEconomics } from "./loop-economics.js";
import { type LoopKpis, type LoopSummary, loopKpis, summarizeLoop } from "./loop-metrics.js";
import { loadRecapLoopFacts, type RecapLoopFacts } from "./recap-loop-facts.js";

export const LOOP_GROUPINGS = ["locale", "variant", "template", "channel", "segment"] as const;
export type LoopGrouping = (typeof LOOP_GROUPINGS)[number];

export type LoopAnalyticsQuery = {
  /** Recaps generated from (inclusive) … */
  from: Date;
  /** … to (exclusive): the cohort whose way through the loop is measured. */
  to: Date;
  groupBy?: LoopGrouping;
};

export type WeeklyLoopKpis = { weekStart: string } & Pick<
  LoopKpis,
  "publishedRecaps" | "completedLoops" | "conversionRate" | "multiplier" | "velocity"
>;

export type LoopAnalytics = {
  range: { from: string; to: string };
  totals: LoopSummary;
  groups: ({ groupBy: LoopGrouping; key: string | null } & LoopSummary)[] | null;
  /** The three KPIs by the week (Monday, UTC) the recaps were first published. */
  trend: WeeklyLoopKpis[];
  variants: VariantComparison;
  economics: LoopEconomicsReport;
  /** Recaps of erased accounts, counted from their anonymous tallies. */
  erasedRecapsIncluded: number;
  /** Sample recaps the demo seed made (origin `demo`): figures that include them are not the tenant's own. */
  demoRecapsIncluded: number;
};

const groupKey: Record<LoopGrouping, (fact: RecapLoopFacts) => string | null> = {
  locale: (fact) => fact.locale,
  variant: (fact) => fact.variant,
  template: (fact) => fact.kind,
  channel: (fact) => fact.channel,
  segment: (fact) => fact.segment,
};

/** Monday 00:00 UTC of the date's ISO week. */
export function weekStart(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

function groupFacts<K>(facts: readonly RecapLoopFacts[], key: (fact: RecapLoopFacts) => K): Map<K, RecapLoopFacts[]> {
  const groups = new Map<K, RecapLoopFacts[]>();
  for (const fact of facts) {
    const k = key(fact);
    const group = groups.get(k);
    if (group) group.push(fact);
    else groups.set(k, [fact]);
  }
  return groups;
}

export function weeklyTrend(facts: readonly RecapLoopFacts[]): WeeklyLoopKpis[] {
  const published = facts.filter((fact) => fact.publishedAt !== null);
  const weeks = groupFacts(published, (fact) => weekStart(fact.publishedAt as Date));
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, group]) => {
      const { publishedRecaps, completedLoops, conversionRate, multiplier, velocity } = loopKpis(group);
      return { weekStart: week, publishedRecaps, completedLoops, conversionRate, multiplier, velocity };
    });
}

/** Everything the analytics API and the dashboard show, from the facts of one cohort. */
export function analyzeLoop(
  facts: readonly RecapLoopFacts[],
  query: LoopAnalyticsQuery,
  tenant: Pick<typeof tenants.$inferSelect, "currency" | "loopEconomics">,
): Omit<LoopAnalytics, "erasedRecapsIncluded" | "demoRecapsIncluded"> {
  const published = facts.filter((fact) => fact.publishedAt !== null);
  const variantSample = (variant: string) => {
    const group = published.filter((fact) => fact.variant === variant);
    return { successes: group.filter((fact) => fact.signups > 0).length, trials: group.length };
  };
  const grouping = query.groupBy;
  const groups = grouping
    ? [...groupFacts(facts, groupKey[grouping]).entries()]
        .map(([key, group]) => ({ groupBy: grouping, key, ...summarizeLoop(group) }))
        .sort((a, b) => b.stages.generated - a.stages.generated || String(a.key).localeCompare(String(b.key)))
    : null;
  return {
    range: { from: query.from.toISOString(), to: query.to.toISOString() },
    totals: summarizeLoop(facts),
    groups,
    trend: weeklyTrend(facts),
    variants: compareVariants(variantSample("A"), variantSample("B")),
    economics: loopEconomics(facts, tenant.loopEconomics, tenant.currency),
  };
}

async function loadErasedTallies(deps: Pick<Deps, "db">, tenantId: string, query: LoopAnalyticsQuery) {
  const rows = await deps.db
    .select()
    .from(erasedRecapTallies)
    .where(
      and(
        eq(erasedRecapTallies.tenantId, tenantId),
        gte(erasedRecapTallies.generatedAt, query.from),
        lt(erasedRecapTallies.generatedAt, query.to),
      ),
    );
  return rows.map(
    ({ id: _id, tenantId: _tenant, erasedAt: _erased, ...tally }): RecapLoopFacts => ({
      recapId: null,
      ...tally,
    }),
  );
}

export async function loopAnalytics(
  deps: Pick<Deps, "db">,
  tenantId: string,
  query: LoopAnalyticsQuery,
): Promise<LoopAnalytics> {
  const [tenant] = await deps.db
    .select({ currency: tenants.currency, loopEconomics: tenants.loopEconomics })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`tenant ${tenantId} does not exist`);
  const live = await loadRecapLoopFacts(deps.db, tenantId, { generatedFrom: query.from, generatedBefore: query.to });
  const erased = await loadErasedTallies(deps, tenantId, query);
  const [demo] = await deps.db
    .select({ recaps: count() })
    .from(recaps)
    .where(
      and(
        eq(recaps.tenantId, tenantId),
        gte(recaps.createdAt, query.from),
        lt(recaps.createdAt, query.to),
        sql`${recaps.origin}->>'type' = 'demo'`,
      ),
    );
  return {
    ...analyzeLoop([...live, ...erased], query, tenant),
    erasedRecapsIncluded: erased.length,
    demoRecapsIncluded: demo?.recaps ?? 0,
  };
}
