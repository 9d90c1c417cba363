import { z } from "@hono/zod-openapi";
import { parseTrailingLabel } from "../i18n/format.js";
import {
  localDay,
  type PeriodRange,
  parseQuarter,
  parseYear,
  previousQuarter,
  previousYearRange,
  type Quarter,
  quarterRange,
  yearRange,
  zonedMidnight,
} from "./period.js";

/**
 * Every period a recap can cover, as one label: the one parser for the API (POST /v1/recaps, the
 * recaps list filter) and the offline `render` command's usage file, so both take the same set and
 * refuse the rest with the same words.
 *
 * - a quarter, "2026-Q3";
 * - a year in review, "2026" (year to date while the year runs);
 * - a trailing window, "P90D/2026-10-02": the 90 days up to and including that local day;
 * - "since you started", "2026-09-14/2026-10-02": from the first day to the last, both included.
 *
 * The window forms are the labels value-moment milestones carry (period.ts, trailingWindow).
 */
export type PeriodLabel =
  | { kind: "quarter"; label: string; quarter: Quarter }
  | { kind: "year"; label: string; year: number }
  | { kind: "window"; label: string; days: number; end: string }
  | { kind: "since"; label: string; since: string; end: string };

/** As for a value-moment rule's window (moments.routes.ts): up to a leap year of days. */
export const MAX_WINDOW_DAYS = 366;

export const PERIOD_FORMS =
  'must be a quarter such as "2026-Q3", a year such as "2026", or a trailing window such as "P90D/2026-10-02" ' +
  '(the 90 days up to that day) or "2026-09-14/2026-10-02"';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** A calendar date that exists ("2026-02-30" does not). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The label read, or why it is not a period (a sentence that follows the field's name). */
export function parsePeriodLabel(label: string): { period: PeriodLabel } | { problem: string } {
  const quarter = parseQuarter(label);
  if (quarter) return { period: { kind: "quarter", label, quarter } };
  const year = parseYear(label);
  if (year !== undefined) return { period: { kind: "year", label, year } };
  const trailing = parseTrailingLabel(label);
  if (!trailing) return { problem: PERIOD_FORMS };
  const end = label.slice(-10);
  const since = "since" in trailing ? trailing.since : undefined;
  const bad = [since, end].find((date) => date !== undefined && !isCalendarDate(date));
  if (bad) return { problem: `has "${bad}", which is not a date` };
  if (since !== undefined) {
    if (since > end) return { problem: "starts after it ends" };
    if (daysBetween(since, end) + 1 > MAX_WINDOW_DAYS) return { problem: `is longer than ${MAX_WINDOW_DAYS} days` };
    return { period: { kind: "since", label, since, end } };
  }
  const days = "days" in trailing ? trailing.days : 0;
  if (days < 1 || days > MAX_WINDOW_DAYS) return { problem: `must cover 1 to ${MAX_WINDOW_DAYS} days` };
  return { period: { kind: "window", label, days, end } };
}

/** A period label as a request or a file gives it, refused with the parser's words. */
export const periodLabelSchema = z
  .string()
  .max(40)
  .superRefine((label, ctx) => {
    const parsed = parsePeriodLabel(label);
    if ("problem" in parsed) ctx.addIssue({ code: "custom", message: parsed.problem });
  });

export type PeriodRanges = { period: PeriodRange & { yearToDate?: boolean }; previous: PeriodRange };

const midnightOf = (date: string, timeZone: string) =>
  zonedMidnight(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), timeZone);

/**
 * What a period covers in `timeZone` as of `now`, and what it is compared with, as the service
 * computes them: the quarter before; the same span of the year before (a running year is year to
 * date); for a window, as many local days just before it. A window that ends today runs to `now`.
 * A window here is whole local days, where a milestone's (period.ts, trailingWindow) ends at its moment.
 * Refused (with the API's words) when it has not begun.
 */
export function periodRanges(
  period: PeriodLabel,
  timeZone: string,
  now: Date,
): { ranges: PeriodRanges } | { problem: string } {
  switch (period.kind) {
    case "quarter": {
      const range = quarterRange(period.quarter, timeZone);
      if (range.start > now) return { problem: "is in the future" };
      return { ranges: { period: range, previous: quarterRange(previousQuarter(period.quarter), timeZone) } };
    }
    case "year": {
      const range = yearRange(period.year, timeZone, now);
      if (range.start > now) return { problem: "is in the future" };
      return { ranges: { period: range, previous: previousYearRange(range) } };
    }
    default: {
      if (period.end > localDay(now, timeZone)) return { problem: "is in the future" };
      // Whole local days (a daily row is one), so a window across a clock change still starts at midnight.
      const days = period.kind === "window" ? period.days : daysBetween(period.since, period.end) + 1;
      const first = addDays(period.end, 1 - days);
      const start = midnightOf(first, timeZone);
      const afterEnd = midnightOf(addDays(period.end, 1), timeZone);
      const previousFirst = addDays(first, -days);
      const previousLast = addDays(first, -1);
      return {
        ranges: {
          period: { label: period.label, start, end: afterEnd > now ? now : afterEnd, timeZone },
          previous: {
            label: period.kind === "window" ? `P${days}D/${previousLast}` : `${previousFirst}/${previousLast}`,
            start: midnightOf(previousFirst, timeZone),
            end: start,
            timeZone,
          },
        },
      };
    }
  }
}
