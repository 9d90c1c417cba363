/**
 * The one rule for a week (or a month) the period only partly covers, used by the cards and the PDF
 * alike (both draw period-chart.ts's bars). Weeks start on Monday, so a quarter's first and last weeks usually reach
 * outside it and hold only a few days' work; drawn as they are, nearly every chart seemed to crash
 * in its last week. Such a week is prorated to a full week by its share of the week's WORKING days
 * (Monday to Friday): usage includes weekends, but B2B work is done on weekdays (the examples'
 * scheduled runs at weekends are about a tenth of a weekday's). Over every 1–6-day cut of the
 * examples' real weeks this lands within a median 6 % of the whole week, against 34 % when scaled
 * by calendar days (a Monday-to-Wednesday stub × 7/3 towers over the full weeks). A stub with no
 * working day falls back to calendar days, and no estimate is ever drawn above the best full week:
 * an estimate is not a record. A year to date's running month follows the same rule (prorateMonths):
 * its working days so far of the month's working days.
 */
export type WeekBar = {
  /** The week's value, prorated to a full week when it is partial. */
  value: number;
  /** Days of the week inside the period (0–7). */
  days: number;
  partial: boolean;
  /** The best full week (or the best week, when none is full); never a partial one when a full one exists. */
  best: boolean;
};

/** Epoch day (days since 1970-01-01, a Thursday) to weekday, Monday 0 … Sunday 6. */
function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/**
 * How much of a slot's usual work (`[start, start + length)`, epoch days) falls on its days inside
 * `[first, end)`, as `covered` of `whole`: working days of the slot's working days, or, with no
 * working day inside, calendar days of its length.
 */
function slotShare(start: number, length: number, [first, end]: [number, number]): { covered: number; whole: number } {
  let days = 0;
  let workdays = 0;
  let slotWorkdays = 0;
  for (let day = start; day < start + length; day++) {
    const working = weekday(day) < 5;
    if (working) slotWorkdays += 1;
    if (day < first || day >= end) continue;
    days += 1;
    if (working) workdays += 1;
  }
  return workdays > 0 && days < length ? { covered: workdays, whole: slotWorkdays } : { covered: days, whole: length };
}

/**
 * One bar per slot (a week or a month: `start` and `length` in epoch days) over the period
 * `[first, end)`: a slot the period only partly covers prorated by its working days and capped at
 * the best full slot, the best full slot marked. Bars keep the order of the slots, including
 * slots with 0 days in the period.
 */
function prorateSlots(slots: { start: number; length: number; value: number }[], period: [number, number]): WeekBar[] {
  const bars = slots.map((slot): WeekBar => {
    const { start, length } = slot;
    const days = Math.max(0, Math.min(start + length, period[1]) - Math.max(start, period[0]));
    const value = Math.max(0, slot.value);
    if (days === length || days === 0) return { value, days, partial: false, best: false };
    const share = slotShare(start, length, period);
    return { value: (value * share.whole) / share.covered, days, partial: true, best: false };
  });
  const shown = bars.filter((bar) => bar.days > 0);
  const full = shown.filter((bar) => !bar.partial);
  const best = (full.length > 0 ? full : shown).reduce<WeekBar | null>(
    (top, bar) => (top === null || bar.value > top.value ? bar : top),
    null,
  );
  if (best) best.best = true;
  if (best && full.length > 0) for (const bar of bars) if (bar.partial) bar.value = Math.min(bar.value, best.value);
  return bars;
}

/**
 * One bar per week of `points` (values as counted, starts as epoch days of their Mondays) over
 * the period `[first, end)`: partial weeks prorated and capped at the best full week, the best
 * full week marked. Bars keep the order of the points, including weeks with 0 days in the period.
 */
export function prorateWeeks(points: { start: number; value: number }[], period: [number, number]): WeekBar[] {
  return prorateSlots(
    points.map((point) => ({ ...point, length: 7 })),
    period,
  );
}

/** Days of the month that starts on epoch day `start`. */
export function monthLength(start: number): number {
  const date = new Date(start * 86_400_000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 86_400_000 - start;
}

/**
 * The same rule for the months of a year in review (starts as epoch days of their first days): the
 * month still running when a year-to-date recap is made is prorated by its working days so far
 * (never above the best full month), so "2026 so far" does not seem to crash in its last month.
 */
export function prorateMonths(points: { start: number; value: number }[], period: [number, number]): WeekBar[] {
  return prorateSlots(
    points.map((point) => ({ ...point, length: monthLength(point.start) })),
    period,
  );
}
