import type {
  Digest,
  DigestMetric,
  DisplayUnit,
  Fact,
  PercentileBand,
  Provenance,
  SerializedPeriod,
} from "./digest.types.js";
import type { OutcomeKind } from "./usage.schema.js";

export type RawAggregate = { current: number; previous: number | null; source: "events" | "inline" };

export type DigestInput = {
  period: SerializedPeriod;
  previousPeriod: SerializedPeriod;
  currency: string;
  metrics: DigestMetric[];
  /** Raw aggregate (before the multiplier) per metric key. */
  aggregates: Map<string, RawAggregate>;
  /** Raw current values of every active account in the peer group (this one included), per metric. */
  peers: { segment: string | null; size: number; values: Map<string, number[]> } | null;
  /** The account agreed to be compared with its peers. */
  peerComparison: boolean;
  /** Subscription cost for the period (one quarter, or a year so far), in `currency`; null when unknown. */
  quarterlyCost: number | null;
  activity: { events: number; activeDays: number };
  gate?: { minEvents: number; minActiveDays: number };
};

/** A peer rank is shown only for groups at least this large, so no single peer can be inferred. */
export const MIN_PEER_GROUP = 10;
export const DEFAULT_GATE = { minEvents: 20, minActiveDays: 3 };

export const ARCHETYPES: Record<OutcomeKind, string> = {
  time_saved: "archetype.automator",
  money: "archetype.value_maker",
  risk_reduced: "archetype.guardian",
  speed_gained: "archetype.accelerator",
  adoption: "archetype.champion",
};

/**
 * Headline score, documented in docs/digest.md. Outcomes beat activity, growth and a flattering
 * rank lift a fact, and the tenant's priority breaks near-ties.
 */
const KIND_WEIGHT: Record<OutcomeKind, number> = {
  money: 0.6,
  time_saved: 0.5,
  risk_reduced: 0.4,
  speed_gained: 0.3,
  adoption: 0.1,
};
const BAND_BONUS: Record<PercentileBand, number> = { 5: 1.5, 10: 1, 25: 0.5 };

export function scoreMetricFact(
  fact: Pick<Fact, "outcomeKind" | "changePercent" | "improved" | "percentileBand"> &
    Partial<Pick<Fact, "value" | "moneyValue">>,
  priority: number,
) {
  // Size of the outcome, on a log scale so 20,000 € does not drown everything else: what it is
  // worth in money when known, else its displayed value; at most 0.5 (a million or more).
  const magnitude = fact.moneyValue ?? fact.value ?? 0;
  const size = Math.min(Math.log10(1 + Math.max(0, magnitude)), 6) / 12;
  const improvement =
    fact.improved && fact.changePercent !== null ? Math.min(Math.abs(fact.changePercent), 200) / 100 : 0;
  const band = fact.percentileBand ? BAND_BONUS[fact.percentileBand] : 0;
  const kind = fact.outcomeKind ? KIND_WEIGHT[fact.outcomeKind] : 0;
  const priorityBonus = (Math.max(0, Math.min(100, 100 - priority)) / 100) * 0.5;
  return round(1 + size + improvement + band + kind + priorityBonus, 3);
}

export function scoreRoi(roi: number) {
  return round(1 + Math.min(roi, 20) / 10 + KIND_WEIGHT.money, 3);
}

/** Rounds half away from zero, so a fall of 12.5 % reads "−13 %" just as a rise reads "+13 %". */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  return rounded === 0 ? 0 : rounded; // no -0: it would print as "-0"
}

/** Displayed precision: whole numbers from 10 up, one decimal below. */
export function displayRound(value: number): number {
  return Math.abs(value) >= 10 ? round(value, 0) : round(value, 1);
}

/** Converts `raw × multiplier` in the metric's unit to the unit people read. */
export function toDisplay(
  metric: DigestMetric,
  raw: number,
): { value: number; unit: DisplayUnit; hours: number | null } {
  const amount = raw * metric.multiplier;
  switch (metric.unit) {
    case "minutes":
      // 90 minutes reads better as minutes, 1,284 hours as hours.
      return amount >= 120
        ? { value: displayRound(amount / 60), unit: "hours", hours: amount / 60 }
        : { value: Math.round(amount), unit: "minutes", hours: amount / 60 };
    case "hours":
      return { value: displayRound(amount), unit: "hours", hours: amount };
    case "days":
      return { value: displayRound(amount), unit: "days", hours: amount * 24 };
    case "money":
      return { value: Math.round(amount), unit: "money", hours: null };
    case "percent":
      return { value: round(amount, 1), unit: "percent", hours: null };
    default:
      return { value: displayRound(amount), unit: "count", hours: null };
  }
}

export function changePercent(current: number, previous: number | null): number | null {
  if (previous === null || previous <= 0) return null;
  return displayRound(((current - previous) / previous) * 100);
}

/** "Top X%" as the share of the group doing strictly better, plus this account; banded, or null. */
export function percentileBand(value: number, group: number[], higherIsBetter: boolean): PercentileBand | null {
  if (group.length < MIN_PEER_GROUP || value <= 0) return null;
  const better = group.filter((other) => (higherIsBetter ? other > value : other < value)).length;
  const topShare = (better + 1) / group.length;
  if (topShare <= 0.05) return 5;
  if (topShare <= 0.1) return 10;
  if (topShare <= 0.25) return 25;
  return null;
}

function formula(metric: DigestMetric): string {
  const base =
    metric.aggregation === "distinct"
      ? `count(distinct ${metric.event}.properties.${metric.distinctProperty})`
      : metric.aggregation === "count"
        ? `count(${metric.event})`
        : `${metric.aggregation}(${metric.event}.quantity)`;
  const scaled = metric.multiplier === 1 ? base : `${base} × ${metric.multiplier}`;
  return metric.unit === "minutes" ? `${scaled} minutes (÷ 60 when 120 or more)` : `${scaled} ${metric.unit}`;
}

export function buildDigest(input: DigestInput): Digest {
  const gate = input.gate ?? DEFAULT_GATE;
  const reasons: string[] = [];
  if (input.activity.events < gate.minEvents) reasons.push(`fewer than ${gate.minEvents} events in the period`);
  if (input.activity.activeDays < gate.minActiveDays) reasons.push(`active on fewer than ${gate.minActiveDays} days`);

  const facts: Fact[] = [];
  let moneyTotal = 0;
  for (const metric of input.metrics) {
    const aggregate = input.aggregates.get(metric.key);
    if (!aggregate || !(aggregate.current > 0)) continue;
    const current = toDisplay(metric, aggregate.current);
    const change = changePercent(aggregate.current, aggregate.previous);
    const group = input.peers?.values.get(metric.key);
    const band = input.peerComparison && group ? percentileBand(aggregate.current, group, metric.higherIsBetter) : null;
    const moneyValue =
      metric.hourlyRate && current.hours !== null ? Math.round(current.hours * metric.hourlyRate) : null;
    // Value created counts outcomes where more is better; money or time a team wants less of is a cost.
    if (metric.higherIsBetter) moneyTotal += moneyValue ?? (metric.unit === "money" ? current.value : 0);
    const improved = change === null ? null : metric.higherIsBetter ? change > 0 : change < 0;
    const provenance: Provenance = {
      source: aggregate.source,
      metricKey: metric.key,
      event: metric.event,
      aggregation: metric.aggregation,
      formula: formula(metric),
      period: input.period,
      rawCurrent: aggregate.current,
      rawPrevious: aggregate.previous,
    };
    const fact: Omit<Fact, "score"> = {
      id: `metric:${metric.key}`,
      kind: "metric",
      metricKey: metric.key,
      label: metric.label,
      // Only when the tenant named the metric: digests without names stay as they were.
      ...(metric.labels && Object.keys(metric.labels).length > 0 ? { labels: metric.labels } : {}),
      outcomeKind: metric.outcomeKind,
      unit: current.unit,
      value: current.value,
      previousValue: aggregate.previous === null ? null : convertLike(metric, aggregate.previous, current.unit),
      changePercent: change,
      improved,
      percentileBand: band,
      moneyValue,
      provenance,
    };
    facts.push({ ...fact, score: scoreMetricFact(fact, metric.priority) });
  }
  if (facts.length === 0) reasons.push("no outcome metric has a value above zero");
  if (reasons.length > 0)
    return { status: "insufficient_data", period: input.period, reasons, activity: input.activity };

  if (input.quarterlyCost && input.quarterlyCost > 0 && moneyTotal > 0) {
    const ratio = moneyTotal / input.quarterlyCost;
    // The rounded figure must not claim a payback the data does not have (0.96 would read "1.0×").
    if (ratio >= 1) {
      const roi = round(ratio, 1);
      facts.push({
        id: "roi",
        kind: "roi",
        label: "Return on the subscription",
        unit: "ratio",
        value: roi,
        previousValue: null,
        changePercent: null,
        improved: null,
        percentileBand: null,
        moneyValue: Math.round(moneyTotal),
        score: scoreRoi(roi),
        provenance: {
          source: "derived",
          formula: `value created (${Math.round(moneyTotal)} ${input.currency}) ÷ subscription cost for ${/^\d{4}$/.test(input.period.label) ? "the year" : "the quarter"} (${round(input.quarterlyCost, 2)} ${input.currency})`,
          period: input.period,
        },
      });
    }
  }

  // Ties: the lower priority first (as the value model promises), then the id, by code point so
  // the order does not depend on the process locale. The ROI fact ranks as priority 0.
  const priority = new Map(input.metrics.map((metric) => [`metric:${metric.key}`, metric.priority]));
  const rank = (fact: Fact) => priority.get(fact.id) ?? 0;
  const ranked = [...facts].sort(
    (a, b) => b.score - a.score || rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const kindScores = new Map<OutcomeKind, number>();
  for (const fact of facts) {
    if (fact.outcomeKind) kindScores.set(fact.outcomeKind, (kindScores.get(fact.outcomeKind) ?? 0) + fact.score);
  }
  const dominant = [...kindScores.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "adoption";
  return {
    status: "ok",
    period: input.period,
    previousPeriod: input.previousPeriod,
    currency: input.currency,
    facts: ranked,
    headline: ranked.slice(0, 3).map((fact) => fact.id),
    archetype: ARCHETYPES[dominant],
    peerGroup: {
      segment: input.peers?.segment ?? null,
      size: input.peers?.size ?? 0,
      shown: facts.some((fact) => fact.percentileBand !== null),
    },
    chart: null,
    activity: input.activity,
  };
}

/** The previous value in the same display unit and precision as the current one (hours stay hours). */
function convertLike(metric: DigestMetric, raw: number, unit: DisplayUnit): number {
  const amount = raw * metric.multiplier;
  if (metric.unit === "minutes") return unit === "hours" ? displayRound(amount / 60) : Math.round(amount);
  return toDisplay(metric, raw).value;
}

/** The metric the chart follows: the best-scored metric fact. */
export function leadMetricKey(digest: Digest): string | undefined {
  if (digest.status !== "ok") return undefined;
  return digest.facts.find((fact) => fact.kind === "metric")?.metricKey;
}
