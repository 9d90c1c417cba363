import { createRequire } from "node:module";
import type HolidaysClass from "date-holidays";

/**
 * Public holidays by country (ISO 3166-1 "FI") or region (ISO 3166-2 "DE-BY"), from the
 * `date-holidays` rules that ship in the package: computed offline, no network. Only the "public"
 * type counts as a day off (not bank holidays, observances or school holidays).
 *
 * Loaded on first use: the data of every country is a few megabytes, and the command line's
 * --help (which loads the tenant settings schema) should not pay for it.
 */
type Holidays = InstanceType<typeof HolidaysClass>;

let HolidaysConstructor: typeof HolidaysClass | undefined;
function holidaysLibrary(): typeof HolidaysClass {
  HolidaysConstructor ??= createRequire(import.meta.url)("date-holidays") as typeof HolidaysClass;
  return HolidaysConstructor;
}

const CALENDAR_PATTERN = /^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$/;

const calendars = new Map<string, Holidays>();

function calendarOf(code: string): Holidays | undefined {
  const match = CALENDAR_PATTERN.exec(code);
  if (!match) return undefined;
  let calendar = calendars.get(code);
  if (!calendar) {
    const Library = holidaysLibrary();
    const catalogue = new Library();
    const [, country, region] = match as unknown as [string, string, string | undefined];
    if (!catalogue.getCountries()?.[country]) return undefined;
    if (region !== undefined && !catalogue.getStates(country)?.[region]) return undefined;
    calendar = region === undefined ? new Library(country) : new Library(country, region);
    calendars.set(code, calendar);
  }
  return calendar;
}

/** "FI", "DE-BY": a country or region whose public holidays are known. */
export function isHolidayCalendar(code: string): boolean {
  return calendarOf(code) !== undefined;
}

/** The public holidays of `year` in the calendar, as local dates "YYYY-MM-DD". */
function publicHolidays(code: string, year: number): Set<string> {
  const calendar = calendarOf(code);
  if (!calendar) throw new Error(`unknown holiday calendar "${code}"`);
  return new Set(
    calendar
      .getHolidays(year)
      .filter((holiday) => holiday.type === "public")
      .map((holiday) => holiday.date.slice(0, 10)),
  );
}

const DAY_MS = 86_400_000;
/** Enough for any run of weekends and holidays (Christmas to New Year with bridges is under two weeks). */
const MAX_DAYS_AHEAD = 31;

/**
 * The first working day on or after `date` ("YYYY-MM-DD", a calendar day with no time zone): not a
 * Saturday or Sunday, and not a public holiday of `calendar` when one is given. Weekends and
 * holidays chain: 25 December 2026 in Germany (a Friday) moves past the weekend to Monday the 28th.
 */
export function firstWorkingDayFrom(date: string, calendar?: string | null): string {
  const start = Date.parse(`${date}T00:00:00Z`);
  const holidaysByYear = new Map<number, Set<string>>();
  const isHoliday = (day: string) => {
    if (!calendar) return false;
    const year = Number(day.slice(0, 4));
    let holidays = holidaysByYear.get(year);
    if (!holidays) {
      holidays = publicHolidays(calendar, year);
      holidaysByYear.set(year, holidays);
    }
    return holidays.has(day);
  };
  for (let offset = 0; offset <= MAX_DAYS_AHEAD; offset++) {
    const day = new Date(start + offset * DAY_MS);
    const weekday = day.getUTCDay();
    const text = day.toISOString().slice(0, 10);
    if (weekday !== 0 && weekday !== 6 && !isHoliday(text)) return text;
  }
  return date;
}
