import { describe, expect, it } from "vitest";
import { generateRecapSchema } from "../../src/recaps/recap-input.js";
import { aggregateUsageFile } from "../../src/usage/digest-from-usage.js";
import { type PeriodLabel, parsePeriodLabel, periodRanges } from "../../src/usage/period-label.js";
import { parseUsageFile } from "../../src/usage/usage-file.js";

function parsed(label: string): PeriodLabel {
  const result = parsePeriodLabel(label);
  if (!("period" in result)) throw new Error(result.problem);
  return result.period;
}

function ranges(label: string, timeZone: string, now: string) {
  const result = periodRanges(parsed(label), timeZone, new Date(now));
  if (!("ranges" in result)) throw new Error(result.problem);
  const iso = (range: { label: string; start: Date; end: Date }) => [
    range.label,
    range.start.toISOString(),
    range.end.toISOString(),
  ];
  return { period: iso(result.ranges.period), previous: iso(result.ranges.previous), ranges: result.ranges };
}

describe("a period label", () => {
  it("reads a quarter, a year, a trailing window and a since-you-started window", () => {
    expect(parsed("2026-Q3")).toMatchObject({ kind: "quarter", quarter: { year: 2026, quarter: 3 } });
    expect(parsed("2026")).toMatchObject({ kind: "year", year: 2026 });
    expect(parsed("P90D/2026-10-02")).toMatchObject({ kind: "window", days: 90, end: "2026-10-02" });
    expect(parsed("2026-09-14/2026-10-02")).toMatchObject({ kind: "since", since: "2026-09-14", end: "2026-10-02" });
  });

  it("says what is wrong with one that is no period", () => {
    const problem = (label: string) => (parsePeriodLabel(label) as { problem: string }).problem;
    expect(problem("2026-Q5")).toMatch(/^must be a quarter such as "2026-Q3", a year such as "2026", or a trailing/);
    expect(problem("P0D/2026-10-02")).toBe("must cover 1 to 366 days");
    expect(problem("P367D/2026-10-02")).toBe("must cover 1 to 366 days");
    expect(problem("P90D/2026-02-30")).toBe('has "2026-02-30", which is not a date');
    expect(problem("2026-10-03/2026-10-02")).toBe("starts after it ends");
    expect(problem("2025-01-01/2026-10-02")).toBe("is longer than 366 days");
  });

  it("is refused in the same words by the API's request and the usage file", () => {
    const api = generateRecapSchema.safeParse({ account: "a", period: "P0D/2026-10-02" });
    const file = (() => {
      try {
        parseUsageFile({
          product: { name: "P", company: "C" },
          account: { name: "A", currency: "EUR", timeZone: "UTC" },
          period: "P0D/2026-10-02",
          daily: [],
        });
      } catch (error) {
        return (error as { errors: { path: string; message: string }[] }).errors;
      }
    })();
    expect(api.error?.issues.map((issue) => issue.message)).toEqual(["must cover 1 to 366 days"]);
    expect(file).toEqual([{ path: "period", message: "must cover 1 to 366 days" }]);
  });
});

describe("what a period label covers", () => {
  it("is the year to date while the year runs, and the whole year after it", () => {
    const running = ranges("2026", "Europe/Helsinki", "2026-10-05T09:00:00Z");
    expect(running.period).toEqual(["2026", "2025-12-31T22:00:00.000Z", "2026-10-05T09:00:00.000Z"]);
    expect(running.ranges.period.yearToDate).toBe(true);
    expect(running.previous).toEqual(["2025", "2024-12-31T22:00:00.000Z", "2025-10-05T09:00:00.000Z"]);
    const over = ranges("2025", "Europe/Helsinki", "2026-10-05T09:00:00Z");
    expect(over.period).toEqual(["2025", "2024-12-31T22:00:00.000Z", "2025-12-31T22:00:00.000Z"]);
    expect(over.ranges.period.yearToDate).toBe(false);
  });

  it("takes a window as whole local days from midnight, across a clock change too", () => {
    // Finland leaves summer time on 25 October 2026: the window still starts at local midnight.
    const window = ranges("P90D/2026-11-30", "Europe/Helsinki", "2026-12-02T12:00:00Z");
    expect(window.period).toEqual(["P90D/2026-11-30", "2026-09-01T21:00:00.000Z", "2026-11-30T22:00:00.000Z"]);
    expect(window.previous).toEqual(["P90D/2026-09-01", "2026-06-03T21:00:00.000Z", "2026-09-01T21:00:00.000Z"]);
    const since = ranges("2026-11-01/2026-11-30", "Europe/Helsinki", "2026-12-02T12:00:00Z");
    expect(since.previous).toEqual(["2026-10-02/2026-10-31", "2026-10-01T21:00:00.000Z", "2026-10-31T22:00:00.000Z"]);
  });

  it("runs a window that ends today to now, and refuses one that ends later", () => {
    const today = ranges("P7D/2026-12-02", "Europe/Helsinki", "2026-12-02T12:00:00Z");
    expect(today.period[2]).toBe("2026-12-02T12:00:00.000Z");
    expect(periodRanges(parsed("P7D/2026-12-03"), "Europe/Helsinki", new Date("2026-12-02T12:00:00Z"))).toEqual({
      problem: "is in the future",
    });
    expect(periodRanges(parsed("2027"), "UTC", new Date("2026-12-02T12:00:00Z"))).toEqual({
      problem: "is in the future",
    });
  });

  it("puts a usage file's daily rows on the window's first and last day inside it, across a clock change", () => {
    const day = (date: string, count: number) => ({ date, event: "automation.run", count });
    const file = parseUsageFile({
      product: { name: "P", company: "C" },
      account: { name: "A", currency: "EUR", timeZone: "Europe/Helsinki" },
      period: "P90D/2026-11-30",
      asOf: "2026-12-02T12:00:00Z",
      daily: [
        day("2026-06-04", 1),
        day("2026-09-01", 10),
        day("2026-09-02", 100),
        day("2026-11-30", 1000),
        day("2026-12-01", 5),
      ],
    });
    const { tally } = aggregateUsageFile(file);
    const total = (usage: typeof tally.current) =>
      [...(usage.get("automation.run")?.values() ?? [])].reduce((sum, cell) => sum + cell.count, 0);
    expect(total(tally.current)).toBe(1100);
    expect(total(tally.previous)).toBe(11);
    expect(tally.outside).toBe(1);
  });
});
