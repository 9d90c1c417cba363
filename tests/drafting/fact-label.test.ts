import { describe, expect, it } from "vitest";
import { factLabel } from "../../src/drafting/fact-label.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import type { Fact } from "../../src/usage/digest.types.js";
import { fact } from "../rendering/fixtures.js";

/** A metric with no words of its own and no outcome kind: it is named "key figure" of its period. */
function measureOver(label: string): Fact {
  const period = { label, start: "2026-01-01", end: "2026-10-01", timeZone: "UTC" };
  return fact("metric:invoices_matched", {
    unit: "count",
    value: 42,
    outcomeKind: undefined,
    provenance: { source: "events", formula: "count", period },
  });
}

const QUARTER = measureOver("2026-Q3");
const YEAR = measureOver("2026");
const WINDOW = measureOver("P90D/2026-10-02");

describe("the label of a metric without words of its own", () => {
  it("names the quarter in a quarterly recap, the year in a year in review and the period in a milestone", () => {
    expect(factLabel("en", QUARTER, "short")).toBe("key figure this quarter");
    expect(factLabel("en", YEAR, "short")).toBe("key figure of the year");
    expect(factLabel("en", WINDOW, "caption")).toBe("the period's key figure");
    expect(factLabel("sv", YEAR, "name")).toBe("Årets nyckeltal");
    expect(factLabel("de", WINDOW, "short")).toBe("Kennzahl des Zeitraums");
    expect(factLabel("fi", YEAR, "caption")).toBe("vuoden avainluku");
    expect(factLabel("et", WINDOW, "short")).toBe("perioodi võtmenäitaja");
  });

  it("never speaks of a quarter outside a quarterly recap, in any language or form", () => {
    const quarterWords = /quarter|quartal|kvartal|neljännes/i;
    for (const locale of SUPPORTED_LOCALES) {
      for (const form of ["short", "caption", "name"] as const) {
        for (const other of [YEAR, WINDOW]) {
          const label = factLabel(locale, other, form);
          expect(label, `${locale} ${form}`).not.toMatch(quarterWords);
          expect(label.length, `${locale} ${form}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it("keeps the tenant's own name for the language over any period", () => {
    const own = { ...YEAR, labels: { fi: "Täsmätyt laskut" } };
    expect(factLabel("fi", own, "short")).toBe("Täsmätyt laskut");
  });
});
