import type { SupportedLocale } from "../../src/i18n/locales.js";
import type { RenderInput } from "../../src/rendering/rendering.types.js";
import { prorateWeeks } from "../partial-weeks.js";

/**
 * The chart as the PDF draws it: each week's bar, and where each month starts. Weeks start on
 * Monday, so the first and last week usually reach outside the quarter and hold only a few days'
 * work. Such a week is prorated to a full one by the same rule as the cards' (partial-weeks.ts:
 * its share of working days, never above the best full week) and drawn faded as an estimate.
 * Month names come from Intl; they carry no number.
 */
export type PdfChartBar = { value: number; partial: boolean; best: boolean };
export type PdfChartMonth = { label: string /** 0–1 along the bars. */; at: number };
export type PdfChartAxis = { bars: PdfChartBar[]; months: PdfChartMonth[] };

const DAY = 86_400_000;

function quarterRange(label: string): { first: number; end: number } | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) return null;
  const year = Number(match[1]);
  const month = (Number(match[2]) - 1) * 3;
  return { first: Date.UTC(year, month, 1), end: Date.UTC(year, month + 3, 1) };
}

/** A week's start as a UTC midnight of its local date ("2026-06-29" or an ISO instant's date part). */
function dayOf(start: string): number {
  return Date.parse(`${start.slice(0, 10)}T00:00:00Z`);
}

export function pdfChartAxis(input: RenderInput, locale: SupportedLocale): PdfChartAxis | null {
  const series = input.digest.chart;
  const range = quarterRange(input.digest.period.label);
  if (!series || series.points.length < 2 || !range) return null;
  const starts = series.points.map((point) => dayOf(point.start));
  if (starts.some(Number.isNaN)) return null;
  // The cards' rule (partial-weeks.ts): a partial week prorated by its working days, capped at the best full week.
  const bars = prorateWeeks(
    series.points.map((point, index) => ({ start: starts[index]! / DAY, value: point.value })),
    [range.first / DAY, range.end / DAY],
  ).map(({ value, partial, best }) => ({ value, partial, best }));
  const names = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });
  const span = starts.length * 7 * DAY;
  const months: PdfChartMonth[] = [];
  for (let month = range.first; month < range.end; ) {
    const at = (month - starts[0]!) / span;
    if (at >= 0 && at < 1) months.push({ label: names.format(month), at });
    const date = new Date(month);
    month = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return { bars, months };
}
