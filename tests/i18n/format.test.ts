import { describe, expect, it } from "vitest";
import {
  formatBand,
  formatFact,
  formatHours,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPeriod,
  formatPeriodInTitle,
  formatPeriodLabel,
  formatRatio,
  formatValue,
  heldSteady,
  recapPeriod,
} from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import type { Fact, SerializedPeriod } from "../../src/usage/digest.types.js";

const NBSP = "\u00a0";
const MINUS = "\u2212";

function fact(overrides: Partial<Fact>): Fact {
  return {
    id: "metric:hours_saved",
    kind: "metric",
    metricKey: "hours_saved",
    label: "Manual work automated",
    outcomeKind: "time_saved",
    unit: "hours",
    value: 1284,
    previousValue: 950,
    changePercent: 35,
    improved: true,
    percentileBand: 10,
    moneyValue: 57780,
    score: 3,
    provenance: {
      source: "events",
      formula: "count(automation.run) × 6 minutes",
      period: { label: "2026-Q3", start: "", end: "", timeZone: "UTC" },
    },
    ...overrides,
  };
}

describe("formatNumber", () => {
  it("groups four-digit numbers in Estonian too, with a non-breaking space", () => {
    expect(formatNumber(1284, "et")).toBe(`1${NBSP}284`);
    expect(formatNumber(1284, "fi")).toBe(`1${NBSP}284`);
    expect(formatNumber(1284, "sv")).toBe(`1${NBSP}284`);
    expect(formatNumber(1284, "de")).toBe("1.284");
    expect(formatNumber(1284, "en")).toBe("1,284");
  });

  it("writes decimals the local way and drops trailing zeros", () => {
    expect(formatNumber(8.5, "fi")).toBe("8,5");
    expect(formatNumber(8.5, "en")).toBe("8.5");
    expect(formatNumber(8, "de")).toBe("8");
    expect(formatNumber(8.25, "et", 2)).toBe("8,25");
  });
});

describe("formatHours", () => {
  it('writes the short hour sign the local way: "1 284 h" and German "Std."', () => {
    expect(formatHours(1284, "et")).toBe(`1${NBSP}284${NBSP}h`);
    expect(formatHours(1284, "fi")).toBe(`1${NBSP}284${NBSP}h`);
    expect(formatHours(1284, "de")).toBe(`1.284${NBSP}Std.`);
    expect(formatHours(1284, "en")).toBe(`1,284${NBSP}h`);
  });

  it("never lets the number wrap away from its unit", () => {
    for (const locale of ["en", "et", "fi", "de", "sv"] as const) expect(formatHours(12, locale)).not.toContain(" ");
  });

  it("spells the unit out in the long style, with the plural the number needs", () => {
    expect(formatHours(1284, "fi", "long")).toBe(`1${NBSP}284 tuntia`);
    expect(formatHours(1, "fi", "long")).toBe("1 tunti");
    expect(formatHours(2.5, "de", "long")).toBe("2,5 Stunden");
    expect(formatHours(1284, "sv", "long")).toBe(`1${NBSP}284 timmar`);
  });
});

describe("formatPercent", () => {
  it('puts a space before % where the language does: "12,5 %" in Finnish, "12.5%" in English', () => {
    expect(formatPercent(12.5, "fi")).toBe(`12,5${NBSP}%`);
    expect(formatPercent(12.5, "de")).toBe(`12,5${NBSP}%`);
    expect(formatPercent(12.5, "en")).toBe("12.5%");
  });

  it("signs a change on request, with the typographic minus in every language, and never signs zero", () => {
    expect(formatPercent(35, "en", { signed: true })).toBe("+35%");
    expect(formatPercent(-12.5, "fi", { signed: true })).toBe(`${MINUS}12,5${NBSP}%`);
    expect(formatPercent(-12.5, "sv", { signed: true })).toBe(`${MINUS}12,5${NBSP}%`);
    expect(formatPercent(-12.5, "et", { signed: true })).toBe(`${MINUS}12,5%`);
    // CLDR gives English and German the hyphen-minus; typeset copy there uses the minus sign too.
    expect(formatPercent(-7.8, "en", { signed: true })).toBe(`${MINUS}7.8%`);
    expect(formatPercent(-7.8, "de", { signed: true })).toBe(`${MINUS}7,8${NBSP}%`);
    expect(formatPercent(0, "en", { signed: true })).toBe("0%");
  });

  it("never prints a hyphen-minus for a negative number, in any language or unit", () => {
    for (const locale of ["en", "et", "fi", "de", "sv"] as const) {
      const printed = [
        formatPercent(-7.8, locale, { signed: true }),
        formatPercent(-7.8, locale),
        formatNumber(-1284.5, locale),
        formatMoney(-1200, locale, "EUR"),
        formatRatio(-0.4, locale),
        formatHours(-3, locale),
        formatHours(-3, locale, "long"),
        formatValue(-90, "minutes", locale, "EUR", "long"),
      ];
      for (const text of printed) {
        expect(text, `${locale}: ${text}`).not.toContain("-");
        expect(text, `${locale}: ${text}`).toContain(MINUS);
      }
    }
  });
});

describe("formatMoney", () => {
  it("prints the account's currency in the language's way", () => {
    expect(formatMoney(12840, "sv", "SEK")).toBe(`12${NBSP}840${NBSP}kr`);
    expect(formatMoney(12840, "en", "USD")).toBe("$12,840");
    expect(formatMoney(12840, "en", "GBP")).toBe("£12,840");
    expect(formatMoney(12840, "de", "EUR")).toBe(`12.840${NBSP}€`);
    expect(formatMoney(12840, "et", "EUR")).toBe(`12${NBSP}840${NBSP}€`);
  });

  it("shows cents only when there are any", () => {
    expect(formatMoney(1284.5, "en", "USD")).toBe("$1,284.50");
    expect(formatMoney(1284, "en", "USD")).toBe("$1,284");
  });
});

describe("formatValue and formatRatio", () => {
  it("formats each display unit", () => {
    expect(formatRatio(8.1, "en")).toBe("8.1×");
    expect(formatRatio(8.1, "de")).toBe("8,1×");
    expect(formatValue(90, "minutes", "en", "EUR", "long")).toBe("90 minutes");
    expect(formatValue(3, "days", "fi", "EUR", "long")).toBe("3 päivää");
    expect(formatValue(42, "count", "sv", "EUR")).toBe("42");
    expect(formatValue(12.5, "percent", "et", "EUR")).toBe("12,5%");
    expect(formatValue(12840, "money", "fi", "EUR")).toBe(`12${NBSP}840${NBSP}€`);
  });

  it("writes a return always with its one decimal, so 1.013 is 1,0× and not 1×", () => {
    expect(formatRatio(1.013, "fi")).toBe("1,0×");
    expect(formatRatio(1.013, "en")).toBe("1.0×");
    expect(formatRatio(12, "sv")).toBe("12,0×");
    expect(formatRatio(2.571, "de")).toBe("2,6×");
  });

  it("writes the peer band as a percentage", () => {
    expect(formatBand(10, "fi")).toBe(`10${NBSP}%`);
    expect(formatBand(5, "en")).toBe("5%");
  });
});

describe("formatPeriod", () => {
  it('turns "2026-Q3" into "Q3 2026", kept on one line', () => {
    expect(formatPeriod("2026-Q3")).toBe(`Q3${NBSP}2026`);
    expect(formatPeriod("2025-Q1")).toBe(`Q1${NBSP}2025`);
  });

  it("leaves a label it does not recognise as it is", () => {
    expect(formatPeriod("2026-Q5")).toBe("2026-Q5");
    expect(formatPeriod("window")).toBe("window");
  });
});

describe("formatFact", () => {
  it("writes a fact's value, change, band and money once for every place that shows them", () => {
    expect(formatFact(fact({}), "fi", "EUR")).toEqual({
      id: "metric:hours_saved",
      value: `1${NBSP}284${NBSP}h`,
      valueLong: `1${NBSP}284 tuntia`,
      change: `+35${NBSP}%`,
      band: `10${NBSP}%`,
      money: `57${NBSP}780${NBSP}€`,
    });
  });

  it("leaves out what the fact does not have, and the money of a return (it is the ratio's base)", () => {
    const roi = formatFact(
      fact({ id: "roi", kind: "roi", unit: "ratio", value: 8.1, changePercent: null, percentileBand: null }),
      "de",
      "EUR",
    );
    expect(roi).toEqual({ id: "roi", value: "8,1×", valueLong: "8,1×", change: null, band: null, money: null });
  });

  it("prints no change for one that rounds to 0 %, in any language, so no card, PDF or page shows a 0 % cue", () => {
    for (const locale of SUPPORTED_LOCALES)
      for (const changePercent of [0, -0, 0.04, -0.04, -0.049]) {
        expect(formatFact(fact({ changePercent }), locale, "EUR").change, `${locale} ${changePercent}`).toBeNull();
        expect(heldSteady({ changePercent }), `${changePercent}`).toBe(true);
      }
    // The smallest change the formatter shows is still shown, with its sign.
    expect(formatFact(fact({ changePercent: 0.05 }), "en", "EUR").change).toBe("+0.1%");
    expect(formatFact(fact({ changePercent: -0.05 }), "fi", "EUR").change).toBe(`${MINUS}0,1${NBSP}%`);
    expect(heldSteady({ changePercent: null })).toBe(false);
  });
});

describe("formatPeriodInTitle", () => {
  // ICU puts thin and no-break spaces around the dash and inside dates: compared here as plain spaces.
  const plain = (text: string) => text.replace(/[\u00a0\u2009\u202f]/g, " ");
  it("writes a milestone's window as its dates, which fit a sentence written for a quarter in every language", () => {
    expect(plain(formatPeriodInTitle("P90D/2026-10-02", "fi"))).toBe("4.7.–2.10.2026");
    expect(plain(formatPeriodInTitle("2026-09-14/2026-10-02", "de"))).toBe("14. Sept. – 2. Okt. 2026");
    expect(plain(formatPeriodInTitle("P90D/2027-01-10", "sv"))).toBe("12 okt. 2026–10 jan. 2027");
    for (const locale of ["en", "et", "fi", "de", "sv"] as const) {
      const title = formatPeriodInTitle("P90D/2026-10-02", locale);
      expect(title).toMatch(/2026/);
      expect(title).not.toBe(formatPeriod("P90D/2026-10-02", locale));
    }
  });

  it("leaves a quarter and a year as they are", () => {
    expect(formatPeriodInTitle("2026-Q3", "fi")).toBe(formatPeriod("2026-Q3", "fi"));
    expect(formatPeriodInTitle("2026", "de")).toBe("2026");
  });
});

describe("a recap's period as every page and e-mail names it", () => {
  const plain = (text: string) => text.replace(/[\u00a0\u2009\u202f]/g, " ");
  const stored = (label: string, end: string, yearToDate?: boolean) => ({
    period: label,
    digest: {
      period: {
        label,
        start: "2025-12-31T22:00:00.000Z",
        end,
        timeZone: "Europe/Helsinki",
        ...(yearToDate ? { yearToDate } : {}),
      } satisfies SerializedPeriod,
    },
  });
  // Computed on 6 December 2026: the numbers stop there, whenever the recap is read.
  const running = recapPeriod(stored("2026", "2026-12-06T10:00:00.000Z", true));
  const finished = recapPeriod(stored("2026", "2026-12-31T22:00:00.000Z"));
  const window = recapPeriod(stored("P90D/2026-10-02", "2026-10-02T09:00:00.000Z"));

  it("takes whether a year is still running from the recap's stored digest", () => {
    expect(running).toEqual({ label: "2026", yearToDate: true });
    expect(finished).toEqual({ label: "2026" });
    expect(window).toEqual({ label: "P90D/2026-10-02" });
  });

  it.each([
    ["en", "2026 so far", "2026", "the last 90 days", "Jul 4 – Oct 2, 2026"],
    ["et", "2026. aasta seni", "2026", "viimased 90 päeva", "4. juuli – 2. okt 2026"],
    ["fi", "2026 tähän mennessä", "2026", "viimeiset 90 päivää", "4.7.–2.10.2026"],
    ["de", "2026 bis heute", "2026", "die letzten 90 Tage", "4. Juli – 2. Okt. 2026"],
    ["sv", "2026 hittills", "2026", "de senaste 90 dagarna", "4 juli–2 okt. 2026"],
  ] as const)(
    "in %s reads a running year, a finished year and a window the natural way",
    (locale, soFar, year, words, dates) => {
      expect(formatPeriodLabel(running, locale)).toBe(soFar);
      // In a title the words stay together: "2026 so far" never breaks into "2026 so / far".
      expect(formatPeriodInTitle(running, locale)).toBe(soFar.replaceAll(" ", "\u00a0"));
      expect(formatPeriodLabel(finished, locale)).toBe(year);
      expect(formatPeriodInTitle(finished, locale)).toBe(year);
      expect(formatPeriodLabel(window, locale)).toBe(words);
      expect(plain(formatPeriodInTitle(window, locale))).toBe(dates);
    },
  );
});
