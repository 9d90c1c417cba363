/** Calendar quarters in an account's own time zone: "2026-Q3" in Tallinn starts at 00:00 Tallinn time. */

export type Quarter = { year: number; quarter: 1 | 2 | 3 | 4 };
export type PeriodRange = { label: string; start: Date; end: Date; timeZone: string };

const PERIOD_PATTERN = /^(\d{4})-Q([1-4])$/;

export function parseQuarter(label: string): Quarter | undefined {
  const match = PERIOD_PATTERN.exec(label);
  if (!match) return undefined;
  return { year: Number(match[1]), quarter: Number(match[2]) as Quarter["quarter"] };
}

export const quarterLabel = (q: Quarter) => `${q.year}-Q${q.quarter}`;

export function previousQuarter(q: Quarter): Quarter {
  return q.quarter === 1
    ? { year: q.year - 1, quarter: 4 }
    : { year: q.year, quarter: (q.quarter - 1) as Quarter["quarter"] };
}

export function nextQuarter(q: Quarter): Quarter {
  return q.quarter === 4
    ? { year: q.year + 1, quarter: 1 }
    : { year: q.year, quarter: (q.quarter + 1) as Quarter["quarter"] };
}

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The offset of `timeZone` from UTC at `instant`, in milliseconds (Tallinn in summer: +3 h). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = wallClockFormat(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The first instant of the given day on the wall clock of `timeZone`: local midnight, or, where
 * the clocks jump over midnight (Havana, Asunción), the instant of the jump. Where midnight happens
 * twice (clocks set back to 00:00), the first one.
 */
export function zonedMidnight(year: number, monthIndex: number, day: number, timeZone: string): Date {
  const naive = Date.UTC(year, monthIndex, day);
  const offsetAt = (time: number) => zoneOffsetMs(new Date(time), timeZone);
  // A quarter boundary has at most one offset change near it: the offsets a day either side.
  const before = offsetAt(naive - 24 * HOUR_MS);
  const after = offsetAt(naive + 24 * HOUR_MS);
  // Midnight read with an offset is real when the zone has that offset at that instant.
  const candidates = [naive - before, naive - after].filter((time) => offsetAt(time) === naive - time);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // Midnight falls in a gap: the day starts when the clocks jump, between these two instants.
  let stillPreviousDay = naive - after;
  let alreadyThisDay = naive - before;
  while (alreadyThisDay - stillPreviousDay > 1000) {
    const middle = stillPreviousDay + Math.floor((alreadyThisDay - stillPreviousDay) / 2000) * 1000;
    if (middle + offsetAt(middle) >= naive) alreadyThisDay = middle;
    else stillPreviousDay = middle;
  }
  return new Date(alreadyThisDay);
}

export function quarterRange(q: Quarter, timeZone: string): PeriodRange {
  const startMonth = (q.quarter - 1) * 3;
  const next = nextQuarter(q);
  return {
    label: quarterLabel(q),
    start: zonedMidnight(q.year, startMonth, 1, timeZone),
    end: zonedMidnight(next.year, (next.quarter - 1) * 3, 1, timeZone),
    timeZone,
  };
}

/** The quarter that contains `instant` on the wall clock of `timeZone`. */
export function quarterContaining(instant: Date, timeZone: string): Quarter {
  const local = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone));
  return { year: local.getUTCFullYear(), quarter: (Math.floor(local.getUTCMonth() / 3) + 1) as Quarter["quarter"] };
}

export function lastFullQuarter(now: Date, timeZone: string): Quarter {
  return previousQuarter(quarterContaining(now, timeZone));
}

/**
 * A trailing window: the `days` before `end` (a value moment), labelled in ISO 8601 interval
 * notation so the label alone says what it covers: "P90D/2026-10-02" is the 90 days up to that
 * local day. An account that started using the product inside the window gets the time since its
 * first usage, "2026-09-14/2026-10-02" ("since you started"). The previous period is the same
 * length just before, so changes compare like with like.
 */
export type TrailingWindow = { period: PeriodRange; previous: PeriodRange };

/** The local calendar day of `instant` in `timeZone`, as YYYY-MM-DD. */
export function localDay(instant: Date, timeZone: string): string {
  return new Date(instant.getTime() + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
}

export function trailingWindow(end: Date, days: number, timeZone: string, firstUsage?: Date | null): TrailingWindow {
  const windowStart = new Date(end.getTime() - days * 24 * HOUR_MS);
  const endDay = localDay(end, timeZone);
  // "Since you started": from the local midnight of the first usage day, when that is inside the window.
  const firstDay = firstUsage && firstUsage > windowStart ? localDay(firstUsage, timeZone) : undefined;
  const start = firstDay
    ? zonedMidnight(
        Number(firstDay.slice(0, 4)),
        Number(firstDay.slice(5, 7)) - 1,
        Number(firstDay.slice(8, 10)),
        timeZone,
      )
    : windowStart;
  const length = end.getTime() - start.getTime();
  const previousStart = new Date(start.getTime() - length);
  return {
    period: { label: firstDay ? `${firstDay}/${endDay}` : `P${days}D/${endDay}`, start, end, timeZone },
    previous: {
      label: firstDay
        ? `${localDay(previousStart, timeZone)}/${localDay(new Date(start.getTime() - 1), timeZone)}`
        : `P${days}D/${localDay(new Date(start.getTime() - 1), timeZone)}`,
      start: previousStart,
      end: start,
      timeZone,
    },
  };
}

/**
 * The year in review: "2026" in the account's time zone, year to date while the year runs (as
 * Spotify Wrapped is published before the year ends), the whole year once it is over.
 */
const YEAR_PATTERN = /^(\d{4})$/;

export function parseYear(label: string): number | undefined {
  const match = YEAR_PATTERN.exec(label);
  return match ? Number(match[1]) : undefined;
}

export type YearRange = PeriodRange & { yearToDate: boolean };

export function yearRange(year: number, timeZone: string, now: Date): YearRange {
  const start = zonedMidnight(year, 0, 1, timeZone);
  const end = zonedMidnight(year + 1, 0, 1, timeZone);
  const yearToDate = now < end;
  return { label: String(year), start, end: yearToDate ? now : end, timeZone, yearToDate };
}

/**
 * The same span of the year before, for a year-on-year change that compares like with like:
 * 1 January to 6 December 2025 against 1 January to 6 December 2026 (same local wall-clock time).
 */
export function previousYearRange(current: YearRange): PeriodRange {
  const year = Number(current.label) - 1;
  const start = zonedMidnight(year, 0, 1, current.timeZone);
  if (!current.yearToDate) return { label: String(year), start, end: current.start, timeZone: current.timeZone };
  const local = new Date(current.end.getTime() + zoneOffsetMs(current.end, current.timeZone));
  const sinceMidnight =
    current.end.getTime() -
    zonedMidnight(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), current.timeZone).getTime();
  const end = zonedMidnight(year, local.getUTCMonth(), local.getUTCDate(), current.timeZone).getTime() + sinceMidnight;
  return {
    label: String(year),
    start,
    end: new Date(Math.min(end, current.start.getTime())),
    timeZone: current.timeZone,
  };
}

export function yearContaining(instant: Date, timeZone: string): number {
  return new Date(instant.getTime() + zoneOffsetMs(instant, timeZone)).getUTCFullYear();
}
