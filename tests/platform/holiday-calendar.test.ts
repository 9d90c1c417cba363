import { describe, expect, it } from "vitest";
import { firstWorkingDayFrom, isHolidayCalendar } from "../../src/platform/calendar/holiday-calendar.js";
import { annualDueDate } from "../../src/recaps/annual-schedule.js";

describe("the holiday calendar", () => {
  it("knows countries and regions by their ISO 3166 codes, and nothing else", () => {
    for (const code of ["FI", "DE", "SE", "EE", "US", "DE-BY"]) expect(isHolidayCalendar(code)).toBe(true);
    for (const code of ["XX", "DE-ZZ", "fi", "FIN", "DE-", ""]) expect(isHolidayCalendar(code)).toBe(false);
  });

  it("moves only weekends when no calendar is given, as before", () => {
    expect(firstWorkingDayFrom("2026-12-05")).toBe("2026-12-07"); // Saturday → Monday
    expect(firstWorkingDayFrom("2027-12-06")).toBe("2027-12-06"); // a Monday stays
    expect(firstWorkingDayFrom("2026-12-25", null)).toBe("2026-12-25"); // a Friday stays
  });

  it("moves a public holiday on a weekday to the next working day", () => {
    // Finnish Independence Day, 6 December 2027, is a Monday.
    expect(firstWorkingDayFrom("2027-12-06", "FI")).toBe("2027-12-07");
    expect(firstWorkingDayFrom("2027-12-06", "SE")).toBe("2027-12-06");
  });

  it("chains weekends and holidays", () => {
    // Christmas Day 2026 is a Friday in Germany, then a Saturday (Boxing Day) and a Sunday.
    expect(firstWorkingDayFrom("2026-12-25", "DE")).toBe("2026-12-28");
    // 24 December 2022 is a Saturday; the 25th a Sunday, the 26th a Monday holiday.
    expect(firstWorkingDayFrom("2022-12-24", "DE")).toBe("2022-12-27");
  });

  it("reads a region's own holidays", () => {
    // Epiphany (Wednesday 6 January 2027) is a holiday in Bavaria, not in Berlin.
    expect(firstWorkingDayFrom("2027-01-06", "DE-BY")).toBe("2027-01-07");
    expect(firstWorkingDayFrom("2027-01-06", "DE-BE")).toBe("2027-01-06");
  });
});

describe("the annual recap day with a holiday calendar", () => {
  it("lands on the next working day in the account's time zone", () => {
    // 6 December 2027 in Finland: the recap comes on Tuesday the 7th, from local midnight.
    expect(annualDueDate("12-06", 2027, "Europe/Helsinki", "FI").toISOString()).toBe("2027-12-06T22:00:00.000Z");
    expect(annualDueDate("12-06", 2027, "Europe/Helsinki").toISOString()).toBe("2027-12-05T22:00:00.000Z");
    expect(annualDueDate("12-25", 2026, "Europe/Berlin", "DE").toISOString()).toBe("2026-12-27T23:00:00.000Z");
  });

  it("keeps the chosen day when the next working day is already next year", () => {
    // 31 December 2028 is a Sunday; 1 January 2029 a Monday holiday in Finland.
    expect(annualDueDate("12-31", 2028, "UTC", "FI").toISOString()).toBe("2028-12-31T00:00:00.000Z");
  });
});
