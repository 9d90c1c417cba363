import { describe, expect, it } from "vitest";
import { storyChart } from "../../src/sharing/story-chart.js";
import { storyPalette } from "../../src/sharing/story-palette.js";
import type { ChartSeries, SerializedPeriod } from "../../src/usage/digest.types.js";
import { contrast, parseHex } from "../../templates/colour.js";
import { buildRecapModel } from "../../templates/model.js";
import { renderInput } from "../rendering/fixtures.js";

const ARCHETYPES = ["automator", "value_maker", "guardian", "accelerator", "champion", "achiever", "unknown"];
const BRAND_ACCENTS = ["#ff6b4a", "#ffff00", "#ffffff", "#000000", "#777777", "#1f2a44"];

describe("the story's colours", () => {
  it("keep text and kicker at 4.5:1 or more on every slide, for every archetype and any brand accent", () => {
    for (const archetype of ARCHETYPES)
      for (const accent of BRAND_ACCENTS)
        for (const [slide, colours] of Object.entries(storyPalette(archetype, accent))) {
          const field = parseHex(colours.background, "#000000");
          const where = `${archetype} ${accent} ${slide}`;
          expect(contrast(parseHex(colours.ink, "#000000"), field), where).toBeGreaterThanOrEqual(4.5);
          expect(contrast(parseHex(colours.accent, "#000000"), field), where).toBeGreaterThanOrEqual(4.5);
        }
  });
});

// Q3 2026 in Helsinki: 1 July (a Wednesday) to 1 October (a Thursday).
const PERIOD: SerializedPeriod = {
  label: "2026-Q3",
  start: "2026-06-30T21:00:00.000Z",
  end: "2026-09-30T21:00:00.000Z",
  timeZone: "Europe/Helsinki",
};
const mondays = Array.from({ length: 14 }, (_, index) =>
  new Date(Date.UTC(2026, 5, 29 + index * 7)).toISOString().slice(0, 10),
);
const series = (values: number[]): ChartSeries => ({
  metricKey: "hours_saved",
  unit: "hours",
  granularity: "week",
  points: values.map((value, index) => ({ start: mondays[index] ?? "", value })),
});

describe("the story's chart", () => {
  it("marks the weeks only partly inside the quarter, prorates them as the cards do, and never calls one of them the best week", () => {
    // The first and last weeks hold the largest values: a partial week is never the best, and its
    // estimate is never drawn above the best full week (partial-weeks.ts).
    const chart = storyChart(series([90, 30, 31, 32, 33, 34, 35, 40, 33, 32, 31, 30, 29, 95]), PERIOD, "fi", "EUR");
    expect(chart?.bars.map((bar) => bar.partial)).toEqual([true, ...Array(12).fill(false), true]);
    expect(chart?.bars.findIndex((bar) => bar.best)).toBe(7);
    expect(chart?.bestValue).toBe("40\u00a0h");
    expect(chart?.bars[0]?.value).toBe(40);
    expect(chart?.max).toBe(40);
    // A small partial week is scaled up to a whole week: 1–5 July holds 3 of the week's 5 working days.
    const small = storyChart(series([6, 30, 31, 32, 33, 34, 35, 40, 33, 32, 31, 30, 29, 12]), PERIOD, "fi", "EUR");
    expect(small?.bars[0]?.value).toBe(10);
  });

  it("draws the same bars as the card the visitor came from", async () => {
    for (const locale of ["en", "fi"] as const) {
      const input = await renderInput({ locale });
      const card = buildRecapModel(input).chart;
      const story = input.digest.chart && storyChart(input.digest.chart, input.digest.period, locale, "EUR");
      expect(story?.bars.map((bar) => bar.value)).toEqual(card?.values);
      expect(story?.bars.map((bar) => bar.partial)).toEqual(card?.bars.map((bar) => bar.partial));
    }
  });

  it("names each month once on the axis, in the page's language, under the first week of the month", () => {
    const values = Array(14).fill(10);
    const fi = storyChart(series(values), PERIOD, "fi", "EUR");
    expect(fi?.bars.flatMap((bar) => bar.monthLabel ?? [])).toEqual(["heinä", "elo", "syys"]);
    const de = storyChart(series(values), PERIOD, "de", "EUR");
    expect(de?.bars.flatMap((bar) => bar.monthLabel ?? [])).toEqual(["Jul", "Aug", "Sep"]);
    expect(de?.bars[0]?.monthLabel).toBe("Jul");
  });

  it("draws no chart for a single week or a quarter of zeros", () => {
    expect(storyChart(series([12]), PERIOD, "en", "EUR")).toBeNull();
    expect(storyChart(series(Array(14).fill(0)), PERIOD, "en", "EUR")).toBeNull();
  });
});
