import type { Aggregation, MetricLabels, MetricUnit, OutcomeKind } from "./usage.schema.js";

export type DigestMetric = {
  key: string;
  label: string;
  /** The tenant's own names per locale; absent or empty when it gave none. */
  labels?: MetricLabels;
  event: string;
  outcomeKind: OutcomeKind;
  unit: MetricUnit;
  aggregation: Aggregation;
  distinctProperty: string | null;
  multiplier: number;
  hourlyRate: number | null;
  higherIsBetter: boolean;
  priority: number;
};

export type SerializedPeriod = {
  label: string;
  start: string;
  end: string;
  timeZone: string;
  /** Only on a year ("2026") that is still running: the period ends at the moment the digest was computed. */
  yearToDate?: boolean;
};

/** Where a number came from, shown to the reviewer beside it. */
export type Provenance = {
  source: "events" | "inline" | "derived";
  metricKey?: string;
  event?: string;
  aggregation?: Aggregation;
  formula: string;
  period: SerializedPeriod;
  rawCurrent?: number;
  rawPrevious?: number | null;
};

export type DisplayUnit = "hours" | "minutes" | "days" | "count" | "money" | "percent" | "ratio";
export type PercentileBand = 5 | 10 | 25;

export type Fact = {
  /** "metric:<key>" or "roi". */
  id: string;
  kind: "metric" | "roi";
  metricKey?: string;
  /** For reviewers, in the tenant's working language; visitors see `labels` or the shipped wording. */
  label: string;
  /** The tenant's own names per locale; absent in digests drafted before they existed. */
  labels?: MetricLabels;
  outcomeKind?: OutcomeKind;
  unit: DisplayUnit;
  /** The value as it is displayed (already rounded); the fact-check compares against it. */
  value: number;
  previousValue: number | null;
  /** Change against the previous period in %, rounded as displayed; null when there is no base. */
  changePercent: number | null;
  /** True when the change is an improvement (a fall counts for lower-is-better metrics). */
  improved: boolean | null;
  /** "top 5%" etc., only when the peer group is large enough and the rank flatters. */
  percentileBand: PercentileBand | null;
  /** For time with an hourly rate: what the time is worth, in `currency`. */
  moneyValue: number | null;
  score: number;
  provenance: Provenance;
};

export type ChartSeries = {
  metricKey: string;
  unit: DisplayUnit;
  /** Weeks for a quarter; months (so far) for the year in review. */
  granularity: "week" | "month";
  points: { start: string; value: number }[];
};

export type Digest =
  | {
      status: "ok";
      period: SerializedPeriod;
      previousPeriod: SerializedPeriod;
      currency: string;
      facts: Fact[];
      /** Ids of the three headline facts, best first. */
      headline: string[];
      archetype: string;
      peerGroup: { segment: string | null; size: number; shown: boolean };
      chart: ChartSeries | null;
      activity: { events: number; activeDays: number };
    }
  | {
      status: "insufficient_data";
      period: SerializedPeriod;
      reasons: string[];
      activity: { events: number; activeDays: number };
    };
