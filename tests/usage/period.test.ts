import { describe, expect, it } from "vitest";
import { quarterlyCost, weekStarts } from "../../src/usage/compute-digest.js";
import {
  lastFullQuarter,
  nextQuarter,
  parseQuarter,
  previousQuarter,
  type Quarter,
  quarterContaining,
  quarterLabel,
  quarterRange,
} from "../../src/usage/period.js";

const q = (label: string): Quarter => {
  const parsed = parseQuarter(label);
  if (!parsed) throw new Error(`bad label in the test: ${label}`);
  return parsed;
};

/** The wall clock of `timeZone` at `instant`, as "YYYY-MM-DD HH:MM:SS.mmm". */
function wallClock(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value;
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}.${get("fractionalSecond")}`;
}

describe("parseQuarter", () => {
  it.each([
    ["2026-Q1", { year: 2026, quarter: 1 }],
    ["2026-Q4", { year: 2026, quarter: 4 }],
    ["1999-Q2", { year: 1999, quarter: 2 }],
    ["2030-Q3", { year: 2030, quarter: 3 }],
  ])("reads %s as a year and a quarter", (label, expected) => {
    expect(parseQuarter(label)).toEqual(expected);
  });

  it.each([
    "",
    "2026-Q0",
    "2026-Q5",
    "2026-Q12",
    "2026-q1",
    "2026Q1",
    "2026-1",
    "26-Q1",
    "20261-Q1",
    " 2026-Q1",
    "2026-Q1 ",
    "2026-Q1\n",
    "2026-H1",
    "Q1-2026",
  ])("rejects the label %j", (label) => {
    expect(parseQuarter(label)).toBeUndefined();
  });

  it("writes a quarter back as the label it was read from", () => {
    expect(quarterLabel({ year: 2026, quarter: 3 })).toBe("2026-Q3");
  });
});

describe("previous and next quarter", () => {
  it.each([
    ["2026-Q1", "2025-Q4", "2026-Q2"],
    ["2026-Q2", "2026-Q1", "2026-Q3"],
    ["2026-Q3", "2026-Q2", "2026-Q4"],
    ["2026-Q4", "2026-Q3", "2027-Q1"],
    ["2000-Q1", "1999-Q4", "2000-Q2"],
  ])("around %s the previous quarter is %s and the next is %s", (label, previous, next) => {
    expect(quarterLabel(previousQuarter(q(label)))).toBe(previous);
    expect(quarterLabel(nextQuarter(q(label)))).toBe(next);
  });

  it("steps back and forth to the same quarter across a year end", () => {
    expect(nextQuarter(previousQuarter(q("2027-Q1")))).toEqual(q("2027-Q1"));
    expect(previousQuarter(nextQuarter(q("2026-Q4")))).toEqual(q("2026-Q4"));
  });
});

describe("quarterRange", () => {
  it.each([
    // zone, quarter, start, end (UTC instants worked out by hand from the zone's offsets)
    ["UTC", "2026-Q1", "2026-01-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"],
    ["UTC", "2026-Q4", "2026-10-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    // Tallinn and Helsinki: +2 in winter, +3 from the last Sunday of March to the last Sunday of October.
    ["Europe/Tallinn", "2026-Q1", "2025-12-31T22:00:00.000Z", "2026-03-31T21:00:00.000Z"],
    ["Europe/Tallinn", "2026-Q4", "2026-09-30T21:00:00.000Z", "2026-12-31T22:00:00.000Z"],
    ["Europe/Helsinki", "2026-Q2", "2026-03-31T21:00:00.000Z", "2026-06-30T21:00:00.000Z"],
    ["Europe/Helsinki", "2027-Q1", "2026-12-31T22:00:00.000Z", "2027-03-31T21:00:00.000Z"],
    // New York: −5 in winter, −4 from the second Sunday of March to the first Sunday of November.
    ["America/New_York", "2026-Q1", "2026-01-01T05:00:00.000Z", "2026-04-01T04:00:00.000Z"],
    ["America/New_York", "2026-Q4", "2026-10-01T04:00:00.000Z", "2027-01-01T05:00:00.000Z"],
    // Kolkata: +5:30 all year.
    ["Asia/Kolkata", "2026-Q1", "2025-12-31T18:30:00.000Z", "2026-03-31T18:30:00.000Z"],
    ["Asia/Kolkata", "2026-Q3", "2026-06-30T18:30:00.000Z", "2026-09-30T18:30:00.000Z"],
    // Auckland: +13 from the last Sunday of September to the first Sunday of April, +12 otherwise.
    // 2026: summer time ends 5 April (Q2 starts in summer time) and begins 27 September.
    ["Pacific/Auckland", "2026-Q2", "2026-03-31T11:00:00.000Z", "2026-06-30T12:00:00.000Z"],
    ["Pacific/Auckland", "2026-Q3", "2026-06-30T12:00:00.000Z", "2026-09-30T11:00:00.000Z"],
    ["Pacific/Auckland", "2026-Q4", "2026-09-30T11:00:00.000Z", "2026-12-31T11:00:00.000Z"],
    // 2029: summer time ends at 03:00 on Sunday 1 April itself and begins on Sunday 30 September.
    ["Pacific/Auckland", "2029-Q2", "2029-03-31T11:00:00.000Z", "2029-06-30T12:00:00.000Z"],
    ["Pacific/Auckland", "2029-Q4", "2029-09-30T11:00:00.000Z", "2029-12-31T11:00:00.000Z"],
  ])("in %s, %s runs from %s to %s", (timeZone, label, start, end) => {
    const range = quarterRange(q(label), timeZone);
    expect(range.label).toBe(label);
    expect(range.timeZone).toBe(timeZone);
    expect(range.start.toISOString()).toBe(start);
    expect(range.end.toISOString()).toBe(end);
  });

  it.each([
    ["UTC", "2026-Q1", "2026-01-01"],
    ["Europe/Tallinn", "2026-Q2", "2026-04-01"],
    ["Europe/Tallinn", "2026-Q4", "2026-10-01"],
    ["Europe/Helsinki", "2026-Q2", "2026-04-01"],
    ["Europe/Helsinki", "2026-Q4", "2026-10-01"],
    ["America/New_York", "2026-Q2", "2026-04-01"],
    ["America/New_York", "2026-Q4", "2026-10-01"],
    ["Asia/Kolkata", "2026-Q1", "2026-01-01"],
    ["Pacific/Auckland", "2026-Q2", "2026-04-01"],
    ["Pacific/Auckland", "2026-Q4", "2026-10-01"],
    ["Pacific/Auckland", "2029-Q2", "2029-04-01"],
    ["Pacific/Auckland", "2029-Q4", "2029-10-01"],
    ["Pacific/Auckland", "2030-Q1", "2030-01-01"],
  ])("in %s, %s starts at midnight on %s on the local wall clock", (timeZone, label, firstDay) => {
    const { start } = quarterRange(q(label), timeZone);
    expect(wallClock(start, timeZone)).toBe(`${firstDay} 00:00:00.000`);
    expect(wallClock(new Date(start.getTime() - 1), timeZone).slice(0, 10)).not.toBe(firstDay);
  });

  it("ends each quarter where the next one starts", () => {
    for (const timeZone of ["Europe/Tallinn", "America/New_York", "Pacific/Auckland"]) {
      expect(quarterRange(q("2026-Q1"), timeZone).end).toEqual(quarterRange(q("2026-Q2"), timeZone).start);
      expect(quarterRange(q("2026-Q4"), timeZone).end).toEqual(quarterRange(q("2027-Q1"), timeZone).start);
    }
  });

  it.each([
    // 90 days less the hour lost when summer time starts on 29 March.
    ["Europe/Tallinn", "2026-Q1", 90 * 24 - 1],
    // 91 days plus the hour gained when summer time ends on 1 April.
    ["Pacific/Auckland", "2029-Q2", 91 * 24 + 1],
    // 92 days less the hour lost when summer time starts on 30 September.
    ["Pacific/Auckland", "2029-Q3", 92 * 24 - 1],
    ["Asia/Kolkata", "2026-Q3", 92 * 24],
  ])("in %s, %s lasts %i hours", (timeZone, label, hours) => {
    const { start, end } = quarterRange(q(label), timeZone);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(hours);
  });

  it.each([
    // Clocks jumped from 00:00 to 01:00 on the 1st: the quarter starts at the jump.
    ["America/Havana", "2012-Q2", "2012-04-01T05:00:00.000Z", "2012-04-01 01:00:00.000"],
    ["America/Asuncion", "2023-Q4", "2023-10-01T04:00:00.000Z", "2023-10-01 01:00:00.000"],
    // Clocks went back from 01:00 to 00:00 on the 1st: the quarter starts at the first midnight.
    ["Asia/Gaza", "2004-Q4", "2004-09-30T21:00:00.000Z", "2004-10-01 00:00:00.000"],
  ])(
    "in %s, %s starts at the first instant of the day even when midnight is skipped or repeated",
    (timeZone, label, start, wall) => {
      const range = quarterRange(q(label), timeZone);
      expect(range.start.toISOString()).toBe(start);
      expect(wallClock(range.start, timeZone)).toBe(wall);
      expect(quarterLabel(quarterContaining(new Date(range.start.getTime() - 1), timeZone))).toBe(
        quarterLabel(previousQuarter(q(label))),
      );
    },
  );
});

describe("quarterContaining", () => {
  it.each([
    ["Europe/Tallinn", "2026-03-31T20:59:59.999Z", "2026-Q1"],
    ["Europe/Tallinn", "2026-03-31T21:00:00.000Z", "2026-Q2"],
    ["America/New_York", "2027-01-01T04:59:59.999Z", "2026-Q4"],
    ["America/New_York", "2027-01-01T05:00:00.000Z", "2027-Q1"],
    ["Asia/Kolkata", "2026-06-30T18:29:59.999Z", "2026-Q2"],
    ["Asia/Kolkata", "2026-06-30T18:30:00.000Z", "2026-Q3"],
    ["Pacific/Auckland", "2026-12-31T10:59:59.999Z", "2026-Q4"],
    ["Pacific/Auckland", "2026-12-31T11:00:00.000Z", "2027-Q1"],
    ["Pacific/Auckland", "2029-03-31T10:59:59.999Z", "2029-Q1"],
    ["Pacific/Auckland", "2029-03-31T11:00:00.000Z", "2029-Q2"],
    ["UTC", "2026-06-30T23:59:59.999Z", "2026-Q2"],
    ["UTC", "2026-07-01T00:00:00.000Z", "2026-Q3"],
  ])("in %s, the instant %s falls in %s", (timeZone, instant, label) => {
    expect(quarterLabel(quarterContaining(new Date(instant), timeZone))).toBe(label);
  });
});

describe("lastFullQuarter", () => {
  it.each([
    // Midnight on 1 January 2027 in Tallinn is still 31 December in UTC.
    ["Europe/Tallinn", "2026-12-31T22:00:00.000Z", "2026-Q4"],
    ["UTC", "2026-12-31T22:00:00.000Z", "2026-Q3"],
    ["Pacific/Auckland", "2026-12-31T11:00:00.000Z", "2026-Q4"],
    ["America/New_York", "2027-01-01T05:00:00.000Z", "2026-Q4"],
    ["America/New_York", "2027-01-01T04:59:59.999Z", "2026-Q3"],
    ["UTC", "2026-05-15T12:00:00.000Z", "2026-Q1"],
  ])("in %s at %s, the last full quarter is %s", (timeZone, now, label) => {
    expect(quarterLabel(lastFullQuarter(new Date(now), timeZone))).toBe(label);
  });
});

describe("weekStarts", () => {
  it.each([
    // 1 January 2026 is a Thursday; 1 April 2026 a Wednesday.
    [
      "2026-Q1",
      [
        "2025-12-29",
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-09",
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
      ],
    ],
    // 1 April 2024 is a Monday and Q2 has exactly 13 weeks: 1 July, the end, is not included.
    [
      "2024-Q2",
      [
        "2024-04-01",
        "2024-04-08",
        "2024-04-15",
        "2024-04-22",
        "2024-04-29",
        "2024-05-06",
        "2024-05-13",
        "2024-05-20",
        "2024-05-27",
        "2024-06-03",
        "2024-06-10",
        "2024-06-17",
        "2024-06-24",
      ],
    ],
  ])("lists the Mondays of %s", (label, mondays) => {
    expect(weekStarts(quarterRange(q(label), "Europe/Tallinn"))).toEqual(mondays);
  });

  it.each([
    // quarter, first Monday, last Monday, weeks
    ["2026-Q2", "2026-03-30", "2026-06-29", 14],
    ["2026-Q3", "2026-06-29", "2026-09-28", 14],
    ["2026-Q4", "2026-09-28", "2026-12-28", 14],
    ["2024-Q2", "2024-04-01", "2024-06-24", 13],
    ["2029-Q1", "2029-01-01", "2029-03-26", 13],
  ])("covers %s from the Monday %s to the Monday %s in %i weeks", (label, first, last, count) => {
    const weeks = weekStarts(quarterRange(q(label), "Pacific/Auckland"));
    expect(weeks).toHaveLength(count);
    expect(weeks[0]).toBe(first);
    expect(weeks.at(-1)).toBe(last);
    for (const week of weeks) expect(new Date(`${week}T00:00:00Z`).getUTCDay()).toBe(1);
  });
});

describe("quarterlyCost", () => {
  it.each([
    ["month", 100, 300],
    ["month", 29, 87],
    ["quarter", 250, 250],
    ["year", 1000, 250],
    ["year", 1200, 300],
  ] as const)("a price per %s of %d costs %d a quarter", (subscriptionPeriod, subscriptionPrice, expected) => {
    expect(quarterlyCost({ subscriptionPrice, subscriptionPeriod })).toBe(expected);
  });

  it("multiplies a monthly price with cents by three", () => {
    expect(quarterlyCost({ subscriptionPrice: 49.99, subscriptionPeriod: "month" })).toBeCloseTo(149.97, 9);
  });

  it.each([
    [null, "month"],
    [100, null],
    [null, null],
  ] as const)("is unknown with price %j and period %j", (subscriptionPrice, subscriptionPeriod) => {
    expect(quarterlyCost({ subscriptionPrice, subscriptionPeriod })).toBeNull();
  });
});
