import { quarterlyCost, scaledCost } from "./compute-digest.js";
import { buildDigest, DEFAULT_GATE, leadMetricKey, type RawAggregate } from "./digest.js";
import type { ChartSeries, Digest, DigestMetric, SerializedPeriod } from "./digest.types.js";
import { monthlyChart } from "./monthly-chart.js";
import { type PeriodRange, zonedMidnight, zoneOffsetMs } from "./period.js";
import { parsePeriodLabel, periodRanges } from "./period-label.js";
import { type UsageFile, UsageFileError } from "./usage-file.js";
import { compactLabels, DEFAULT_VALUE_MODEL, type MetricInput } from "./value-model.js";
import { weeklyChart } from "./weekly-chart.js";

/**
 * The digest of a usage file, computed in memory exactly as the server computes it from its
 * rollups (digest-query.ts, compute-digest.ts): events fall in 15-minute buckets, a bucket belongs
 * to the period its instant is in (a quarter, a year, a trailing window), a daily row to the period
 * its local day starts in, days and weeks are local to the account's time zone, only
 * events that a metric reads count as activity, and a previous quarter without any such event is
 * "no base" rather than zero. A single account has no peer group, so no fact carries a rank.
 */

const BUCKET_MS = 900_000;
const DAY_MS = 86_400_000;

/** One event's totals on one local day, like the rollup rows of that day added up. */
type Cell = { count: number; sum: number; max: number; distinct: Map<string, Set<string>> };
/** event → local date (YYYY-MM-DD) → cell. */
type Usage = Map<string, Map<string, Cell>>;

export type UsageTally = {
  current: Usage;
  previous: Usage;
  /** Event names in the file that no metric reads: they count for nothing, as on the server. */
  unreadEvents: string[];
  /** Events and daily rows outside both periods. */
  outside: number;
};

export type UsageDigest = {
  digest: Digest;
  metrics: DigestMetric[];
  period: PeriodRange;
  previous: PeriodRange;
  /** What a reader of the output should know: no peers, ignored rows, why a fact is missing. */
  notes: string[];
};

export const NO_PEERS_NOTE = "No peer comparison: a single account has no peer group, so no fact shows a rank.";

/** The file's value model (or the default one) as the digest reads it, in the server's order. */
export function metricsOf(file: Pick<UsageFile, "valueModel">): DigestMetric[] {
  const inputs: (MetricInput & { key: string })[] =
    file.valueModel ?? DEFAULT_VALUE_MODEL.map(({ key, input }) => ({ key, ...input }));
  return inputs
    .map((metric) => ({
      key: metric.key,
      label: metric.label,
      labels: compactLabels(metric.labels),
      event: metric.event,
      outcomeKind: metric.outcomeKind,
      unit: metric.unit,
      aggregation: metric.aggregation,
      distinctProperty: metric.distinctProperty ?? null,
      multiplier: metric.multiplier,
      hourlyRate: metric.hourlyRate ?? null,
      higherIsBetter: metric.higherIsBetter,
      priority: metric.priority,
    }))
    .sort((a, b) => a.priority - b.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const serialize = (range: PeriodRange & { yearToDate?: boolean }): SerializedPeriod => ({
  label: range.label,
  start: range.start.toISOString(),
  end: range.end.toISOString(),
  timeZone: range.timeZone,
  ...(range.yearToDate ? { yearToDate: true } : {}),
});

/** The first local date (YYYY-MM-DD) whose day starts at or after `instant` in `timeZone`. */
function firstDayFrom(instant: Date, timeZone: string): string {
  const day = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
  const start = zonedMidnight(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), timeZone);
  return start < instant ? new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10) : day;
}

/** The Monday (YYYY-MM-DD) of the week a local date is in, as PostgreSQL's date_trunc('week') has it. */
export function mondayOf(date: string): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  return new Date(time - ((new Date(time).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

/** A property value as PostgreSQL's `properties->>'name'` reads it; null when absent or JSON null. */
function propertyText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function cellOf(usage: Usage, event: string, date: string): Cell {
  let days = usage.get(event);
  if (!days) {
    days = new Map();
    usage.set(event, days);
  }
  let cell = days.get(date);
  if (!cell) {
    cell = { count: 0, sum: 0, max: 0, distinct: new Map() };
    days.set(date, cell);
  }
  return cell;
}

function addDistinct(cell: Cell, property: string, value: string) {
  let values = cell.distinct.get(property);
  if (!values) {
    values = new Set();
    cell.distinct.set(property, values);
  }
  values.add(value);
}

/** Folds the file's events and daily rows into per-day cells of the period and the one before. */
export function tallyUsage(
  file: Pick<UsageFile, "events" | "daily">,
  metrics: DigestMetric[],
  period: PeriodRange,
  previous: PeriodRange,
): UsageTally {
  const read = new Set(metrics.map((metric) => metric.event));
  const properties = new Map<string, string[]>();
  for (const metric of metrics) {
    if (metric.aggregation !== "distinct" || !metric.distinctProperty) continue;
    properties.set(metric.event, [...(properties.get(metric.event) ?? []), metric.distinctProperty]);
  }
  const tally: UsageTally = { current: new Map(), previous: new Map(), unreadEvents: [], outside: 0 };
  const unread = new Set<string>();
  const localDates = new Map<number, string>();
  const localDate = (bucket: number) => {
    let date = localDates.get(bucket);
    if (date === undefined) {
      date = new Date(bucket + zoneOffsetMs(new Date(bucket), period.timeZone)).toISOString().slice(0, 10);
      localDates.set(bucket, date);
    }
    return date;
  };

  const [start, end, previousStart] = [period.start.getTime(), period.end.getTime(), previous.start.getTime()];
  for (const event of file.events ?? []) {
    if (!read.has(event.event)) {
      unread.add(event.event);
      continue;
    }
    const bucket = Math.floor(Date.parse(event.occurred_at) / BUCKET_MS) * BUCKET_MS;
    const usage =
      bucket >= start && bucket < end
        ? tally.current
        : bucket >= previousStart && bucket < start
          ? tally.previous
          : null;
    if (!usage) {
      tally.outside++;
      continue;
    }
    const cell = cellOf(usage, event.event, localDate(bucket));
    cell.count += 1;
    cell.sum += event.quantity;
    cell.max = Math.max(cell.max, event.quantity);
    for (const property of properties.get(event.event) ?? []) {
      const value = propertyText(event.properties?.[property]);
      if (value !== null) addDistinct(cell, property, value);
    }
  }

  // A daily row belongs where its local day starts, as its events' buckets would (the same
  // instants): day starts only grow with the date, so each period is a range of dates, compared as text.
  const current = { from: firstDayFrom(period.start, period.timeZone), to: firstDayFrom(period.end, period.timeZone) };
  const before = { from: firstDayFrom(previous.start, period.timeZone), to: current.from };
  for (const row of file.daily ?? []) {
    if (!read.has(row.event)) {
      unread.add(row.event);
      continue;
    }
    if (row.count === 0) continue;
    const usage =
      row.date >= current.from && row.date < current.to
        ? tally.current
        : row.date >= before.from && row.date < before.to
          ? tally.previous
          : null;
    if (!usage) {
      tally.outside++;
      continue;
    }
    const cell = cellOf(usage, row.event, row.date);
    cell.count += row.count;
    cell.sum += row.sum ?? row.count;
    cell.max = Math.max(cell.max, row.max ?? (row.sum === undefined ? 1 : 0));
    for (const property of properties.get(row.event) ?? []) {
      for (const value of row.distinct?.[property] ?? []) addDistinct(cell, property, value);
    }
  }
  tally.unreadEvents = [...unread].sort();
  return tally;
}

/** The raw aggregate of one metric over some cells, as aggregateSql computes it over rollup rows. */
export function aggregateCells(metric: DigestMetric, cells: Iterable<Cell>): number {
  let count = 0;
  let sum = 0;
  let max = 0;
  const values = new Set<string>();
  for (const cell of cells) {
    count += cell.count;
    sum += cell.sum;
    max = Math.max(max, cell.max);
    for (const value of cell.distinct.get(metric.distinctProperty ?? "") ?? []) values.add(value);
  }
  switch (metric.aggregation) {
    case "count":
      return count;
    case "sum":
      return sum;
    case "max":
      return max;
    case "average":
      return count > 0 ? sum / count : 0;
    case "distinct":
      return values.size;
  }
}

const cellsOf = (usage: Usage, event: string) => usage.get(event)?.values() ?? [];

function totalEvents(usage: Usage): number {
  let events = 0;
  for (const days of usage.values()) for (const cell of days.values()) events += cell.count;
  return events;
}

/** Aggregates per metric for the quarter and the one before, and the activity the data gate reads. */
export function aggregatesOf(tally: UsageTally, metrics: DigestMetric[]) {
  const activeDays = new Set<string>();
  for (const days of tally.current.values()) for (const date of days.keys()) activeDays.add(date);
  // A quarter with no events at all is "no base", not "zero": no change is claimed against it.
  const hadPrevious = totalEvents(tally.previous) > 0;
  const aggregates = new Map<string, RawAggregate>();
  for (const metric of metrics) {
    aggregates.set(metric.key, {
      current: aggregateCells(metric, cellsOf(tally.current, metric.event)),
      previous: hadPrevious ? aggregateCells(metric, cellsOf(tally.previous, metric.event)) : null,
      source: "events",
    });
  }
  return { aggregates, activity: { events: totalEvents(tally.current), activeDays: activeDays.size } };
}

/** The lead metric's weekly series from the file's tally (the same pure chart as the service's). */
export function weeklyChartOfTally(
  tally: UsageTally,
  metric: DigestMetric,
  period: PeriodRange,
  digest: Extract<Digest, { status: "ok" }>,
): ChartSeries {
  const weeks = new Map<string, Cell[]>();
  for (const [date, cell] of tally.current.get(metric.event) ?? []) {
    const week = mondayOf(date);
    weeks.set(week, [...(weeks.get(week) ?? []), cell]);
  }
  return weeklyChart(metric, period, digest, (week) => aggregateCells(metric, weeks.get(week) ?? []));
}

/**
 * The file's period and the one it is compared with, in its account's time zone as of the file's
 * `asOf` (or `now`), and the usage folded into them. A period that has not begun is refused with
 * the API's words.
 */
export function aggregateUsageFile(file: UsageFile, now: Date = new Date()) {
  const parsed = parsePeriodLabel(file.period);
  if ("problem" in parsed) throw new Error(`"${file.period}" ${parsed.problem}`); // the schema refuses it first
  const asOf = file.asOf ? new Date(file.asOf) : now;
  const resolved = periodRanges(parsed.period, file.account.timeZone, asOf);
  if ("problem" in resolved)
    throw new UsageFileError(`the usage file has 1 problem:\n  period: ${resolved.problem}`, [
      { path: "period", message: resolved.problem },
    ]);
  const { period, previous } = resolved.ranges;
  const metrics = metricsOf(file);
  const tally = tallyUsage(file, metrics, period, previous);
  return { kind: parsed.period.kind, period, previous, metrics, tally, ...aggregatesOf(tally, metrics) };
}

/** The lead metric month by month over a year in review, from the file's tally (as the service draws it). */
function monthlyChartOfTally(
  tally: UsageTally,
  metric: DigestMetric,
  period: PeriodRange,
  digest: Extract<Digest, { status: "ok" }>,
): ChartSeries {
  const months = new Map<string, Cell[]>();
  for (const [date, cell] of tally.current.get(metric.event) ?? []) {
    const month = `${date.slice(0, 7)}-01`;
    months.set(month, [...(months.get(month) ?? []), cell]);
  }
  return monthlyChart(metric, period, digest, (month) => aggregateCells(metric, months.get(month) ?? []));
}

/** The recap's digest for the file's account and quarter, with the chart and notes for the reader. */
export function digestFromUsage(
  file: UsageFile,
  options: { gate?: typeof DEFAULT_GATE; now?: Date } = {},
): UsageDigest {
  const { kind, period, previous, metrics, tally, aggregates, activity } = aggregateUsageFile(file, options.now);
  const subscription = quarterlyCost({
    subscriptionPrice: file.account.subscription?.price ?? null,
    subscriptionPeriod: file.account.subscription?.period ?? null,
  });
  // As the service: a year's return counts the quarters it covers; a trailing window states none.
  const windowed = kind === "window" || kind === "since";
  const cost = windowed ? null : scaledCost(subscription, period, kind === "year");
  let digest = buildDigest({
    period: serialize(period),
    previousPeriod: serialize(previous),
    currency: file.account.currency,
    metrics,
    aggregates,
    peers: null,
    peerComparison: false,
    quarterlyCost: cost,
    activity,
    gate: options.gate ?? DEFAULT_GATE,
  });
  if (digest.status === "ok") {
    const lead = metrics.find((metric) => metric.key === leadMetricKey(digest));
    if (lead)
      digest = {
        ...digest,
        chart:
          kind === "year"
            ? monthlyChartOfTally(tally, lead, period, digest)
            : weeklyChartOfTally(tally, lead, period, digest),
      };
  }

  const notes = [NO_PEERS_NOTE];
  if (!Array.from(aggregates.values()).some((aggregate) => aggregate.previous !== null))
    notes.push(`No change is shown: ${previous.label} has no usage to compare with.`);
  if (windowed) notes.push("No return on the subscription: a trailing window states none, as on the server.");
  else if (cost === null) notes.push("No return on the subscription: the file gives no account.subscription.");
  if (tally.unreadEvents.length > 0)
    notes.push(`Ignored events that no metric reads: ${tally.unreadEvents.join(", ")}.`);
  if (tally.outside > 0)
    notes.push(`Ignored ${tally.outside} events or daily rows outside ${previous.label} and ${period.label}.`);
  return { digest, metrics, period, previous, notes };
}
