import { describe, expect, it } from "vitest";
import { buildRecapModel } from "../../templates/model.js";
import { prorateWeeks } from "../../templates/partial-weeks.js";
import { pdfChartAxis } from "../../templates/pdf/pdf-chart.js";
import { renderInput } from "./fixtures.js";

/** Epoch day of a date: the unit prorateWeeks counts in. */
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe("a week the period only partly covers", () => {
  it("is prorated by its working days, capped at the best full week, and drawn alike on the cards and the PDF", async () => {
    // Q3 2026 runs from Wednesday 1 July to Wednesday 30 September.
    const quarter: [number, number] = [day("2026-07-01"), day("2026-10-01")];
    const bars = prorateWeeks(
      [
        { start: day("2026-06-29"), value: 30 }, // Wed–Sun inside: 3 working days of 5
        { start: day("2026-07-06"), value: 100 },
        { start: day("2026-07-13"), value: 120 },
        { start: day("2026-09-28"), value: 90 }, // Mon–Wed inside: 3 of 5, 150 prorated, capped at 120
      ],
      quarter,
    );
    expect(bars).toEqual([
      { value: 50, days: 5, partial: true, best: false },
      { value: 100, days: 7, partial: false, best: false },
      { value: 120, days: 7, partial: false, best: true },
      { value: 120, days: 3, partial: true, best: false },
    ]);
    // A stub of only a weekend has no working day to scale by: it falls back to calendar days (× 7/2).
    const weekend = prorateWeeks(
      [
        { start: day("2026-08-24"), value: 4 },
        { start: day("2026-08-31"), value: 60 },
      ],
      [day("2026-08-29"), day("2026-09-07")],
    );
    expect(weekend[0]).toEqual({ value: 14, days: 2, partial: true, best: false });

    // One rule: the cards' model and the PDF's chart draw the same values and the same best week.
    const input = await renderInput({ locale: "de" });
    const cards = buildRecapModel(input).chart?.bars ?? [];
    const pdf = pdfChartAxis(input, "de")?.bars ?? [];
    expect(cards.length).toBeGreaterThan(10);
    expect(pdf).toEqual(cards.map(({ value, partial, best, days }) => ({ value, partial, best, days })));
  });
});
