import type { SupportedLocale } from "../../src/i18n/locales.js";
import type { RenderInput } from "../../src/rendering/rendering.types.js";

/**
 * The chart as the PDF draws it: each week's bar, and where each month starts. Weeks start on
 * Monday, so the first and last week usually reach outside the quarter and hold only a few days'
 * work; drawn as they are, nearly every chart seemed to crash in its last week. Such a week is
 * prorated to a full one by its share of working days (Monday to Friday, where B2B usage happens:
 * a Monday-to-Wednesday stub scaled by calendar days, 7/3, came out far above every full week on
 * the examples; by weekdays, 5/3, it lands among them), kept no higher than the best full week,
 * and drawn faded as an estimate. Month names come from Intl; they carry no number.
 */
export type PdfChartBar = { value: number; partial: boolean };
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

/** The share of a Monday-to-Sunday week's work that falls inside the quarter (1: a full week). */
function weekShare(start: number, range: { first: number; end: number }): number {
  let weekdays = 0;
  let days = 0;
  for (let day = start; day < start + 7 * DAY; day += DAY) {
    if (day < range.first || day >= range.end) continue;
    days += 1;
    if (new Date(day).getUTCDay() % 6 !== 0) weekdays += 1;
  }
  if (days === 7) return 1;
  return weekdays > 0 ? weekdays / 5 : days / 7;
}

export function pdfChartAxis(input: RenderInput, locale: SupportedLocale): PdfChartAxis | null {
  const series = input.digest.chart;
  const range = quarterRange(input.digest.period.label);
  if (!series || series.points.length < 2 || !range) return null;
  const starts = series.points.map((point) => dayOf(point.start));
  if (starts.some(Number.isNaN)) return null;
  const shares = starts.map((start) => weekShare(start, range));
  const values = series.points.map((point) => Math.max(0, point.value));
  const bestFull = Math.max(0, ...values.filter((_, index) => shares[index] === 1));
  const bars = values.map((value, index) => {
    const share = shares[index]!;
    if (share === 1 || share === 0) return { value, partial: false };
    const prorated = value / share;
    return { value: bestFull > 0 ? Math.min(prorated, bestFull) : prorated, partial: true };
  });
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
