import { type Interval, multiplierInterval, wilsonInterval } from "./confidence-intervals.js";
import type { RecapLoopFacts } from "./recap-loop-facts.js";

/** How many recaps (or people) reached each stage of the loop. */
export type LoopStages = {
  generated: number;
  approved: number;
  published: number;
  /** Published recaps with at least one human click on a share link. */
  shared: number;
  visitors: number;
  signups: number;
  activated: number;
  paid: number;
};

export const LOOP_VERDICTS = ["self_sustaining", "below_one", "too_early", "no_published_recaps"] as const;
export type LoopVerdict = (typeof LOOP_VERDICTS)[number];

/** Below this many published recaps in the cohort no verdict is given, whatever the interval says. */
export const MIN_PUBLISHED_FOR_VERDICT = 10;

export type LoopKpis = {
  publishedRecaps: number;
  /** Published recaps with at least one attributed signup. */
  completedLoops: number;
  /** completedLoops / publishedRecaps; null without published recaps. */
  conversionRate: number | null;
  /** Wilson 95 % score interval of the conversion rate; null without published recaps. */
  conversionRateInterval: Interval | null;
  /** Time from first publication to first attributed signup, over completed loops. */
  velocity: { completedLoops: number; medianHours: number | null; p90Hours: number | null };
  /** Attributed signups per published recap. */
  multiplier: number | null;
  /** Exact (Garwood) Poisson 95 % interval of the multiplier; null without published recaps. */
  multiplierInterval: Interval | null;
  signupsPerCompletedLoop: number | null;
  verdict: LoopVerdict;
  /** The verdict in one plain sentence, for people. */
  statement: string;
};

export type LoopSummary = {
  stages: LoopStages;
  humanClicks: number;
  botClicks: number;
  shareStarts: number;
  kpis: LoopKpis;
};

const HOUR_MS = 3_600_000;

/** Linear interpolation between closest ranks (R's type 7, numpy's default); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lower = sorted[low] as number;
  return lower + ((sorted[high] as number) - lower) * (rank - low);
}

const round = (value: number | null, digits: number) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function sum(facts: readonly RecapLoopFacts[], pick: (fact: RecapLoopFacts) => number): number {
  let total = 0;
  for (const fact of facts) total += pick(fact);
  return total;
}

/** Hours from publication to the first signup of each completed loop (a signup cannot precede it). */
export function loopHours(facts: readonly RecapLoopFacts[]): number[] {
  const hours: number[] = [];
  for (const fact of facts) {
    if (!fact.publishedAt || !fact.firstSignupAt) continue;
    hours.push(Math.max(0, fact.firstSignupAt.getTime() - fact.publishedAt.getTime()) / HOUR_MS);
  }
  return hours;
}

const roundInterval = (interval: Interval | null, digits: number): Interval | null =>
  interval === null
    ? null
    : { low: round(interval.low, digits) as number, high: round(interval.high, digits) as number };

/**
 * A verdict only once the cohort is big enough and the multiplier's 95 % interval lies entirely on one
 * side of 1: a single recap without a signup is no proof of failure, one signup later no proof of success.
 */
export function loopVerdict(publishedRecaps: number, interval: Interval | null): LoopVerdict {
  if (publishedRecaps === 0 || interval === null) return "no_published_recaps";
  if (publishedRecaps < MIN_PUBLISHED_FOR_VERDICT) return "too_early";
  if (interval.high < 1) return "below_one";
  if (interval.low > 1) return "self_sustaining";
  return "too_early";
}

function statementFor(
  verdict: LoopVerdict,
  kpis: Pick<LoopKpis, "publishedRecaps" | "multiplier">,
  interval: Interval | null,
) {
  if (verdict === "no_published_recaps")
    return "No recap was published in this range, so there is no loop to measure yet.";
  const value = (kpis.multiplier ?? 0).toFixed(2);
  const range = interval ? `${interval.low.toFixed(2)} to ${interval.high.toFixed(2)}` : "";
  if (verdict === "too_early") {
    return kpis.publishedRecaps < MIN_PUBLISHED_FOR_VERDICT
      ? `Too early to tell: ${kpis.publishedRecaps} of the ${MIN_PUBLISHED_FOR_VERDICT} published recaps needed (so far ${value} new signups per recap, which could be anywhere from ${range}).`
      : `Too early to tell: the multiplier could be anywhere from ${range} (95 % interval), so it may be above or below 1.`;
  }
  return verdict === "self_sustaining"
    ? `Each published recap brought ${value} new signups on average (95 % interval ${range}): above 1, so the loop sustains itself.`
    : `Each published recap brought ${value} new signups on average (95 % interval ${range}): below 1, so this loop does not sustain itself and cannot grow on its own yet.`;
}

/** The loop's KPIs over a set of recaps (all published ones count, completed or not). */
export function loopKpis(facts: readonly RecapLoopFacts[]): LoopKpis {
  const published = facts.filter((fact) => fact.publishedAt !== null);
  const completed = published.filter((fact) => fact.signups > 0);
  const signups = sum(published, (fact) => fact.signups);
  const hours = loopHours(completed);
  const multiplier = ratio(signups, published.length);
  const interval = multiplierInterval(signups, published.length);
  const verdict = loopVerdict(published.length, interval);
  return {
    publishedRecaps: published.length,
    completedLoops: completed.length,
    conversionRate: round(ratio(completed.length, published.length), 4),
    conversionRateInterval: roundInterval(wilsonInterval(completed.length, published.length), 4),
    velocity: {
      completedLoops: hours.length,
      // Four decimals keep minutes (two minutes are 0.0333 h) that two decimals would round away.
      medianHours: round(percentile(hours, 0.5), 4),
      p90Hours: round(percentile(hours, 0.9), 4),
    },
    multiplier: round(multiplier, 4),
    multiplierInterval: roundInterval(interval, 4),
    signupsPerCompletedLoop: round(ratio(signups, completed.length), 4),
    verdict,
    statement: statementFor(verdict, { publishedRecaps: published.length, multiplier }, interval),
  };
}

/**
 * The funnel and the KPIs. Stages after "published" count only what published recaps brought:
 * a click or signup is attributed to the recap whose link carried it.
 */
export function summarizeLoop(facts: readonly RecapLoopFacts[]): LoopSummary {
  const published = facts.filter((fact) => fact.publishedAt !== null);
  return {
    stages: {
      generated: facts.length,
      approved: facts.filter((fact) => fact.approvedAt !== null).length,
      published: published.length,
      shared: published.filter((fact) => fact.sharedAt !== null).length,
      visitors: sum(published, (fact) => fact.visitors),
      signups: sum(published, (fact) => fact.signups),
      activated: sum(published, (fact) => fact.activations),
      paid: sum(published, (fact) => fact.paid),
    },
    humanClicks: sum(published, (fact) => fact.humanClicks),
    botClicks: sum(published, (fact) => fact.botClicks),
    shareStarts: sum(published, (fact) => fact.shareStarts),
    kpis: loopKpis(facts),
  };
}
