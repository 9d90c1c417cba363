import { describe, expect, it } from "vitest";
import { multiplierInterval, poissonMeanInterval, wilsonInterval } from "../../src/loop/confidence-intervals.js";
import { loopKpis } from "../../src/loop/loop-metrics.js";
import type { RecapLoopFacts } from "../../src/loop/recap-loop-facts.js";

/**
 * Expected bounds, computed by hand. z = Φ⁻¹(0.975) = 1.959964, z² = 3.841459.
 * Wilson: centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²).
 *   0/1:  1 + z² = 4.841459; centre = 1.920729 / 4.841459 = 0.396727; half = 0.404826 · √0.960365
 *         = 0.396727 → [0, 0.7935]
 *   1/10: 1 + 0.384146 = 1.384146; centre = 0.292073 / 1.384146 = 0.211013; half = 1.416009 ·
 *         √(0.009 + 0.009604) = 1.416009 · 0.136395 = 0.193136 → [0.0179, 0.4042]
 *   5/50: 1 + 0.076829 = 1.076829; centre = 0.138415 / 1.076829 = 0.128539; half = 1.820126 ·
 *         √(0.0018 + 0.000384) = 1.820126 · 0.046735 = 0.085063 → [0.0435, 0.2136]
 *   (the others likewise; checked against scipy.)
 * Garwood (exact Poisson) for a count k: [χ²(0.025; 2k)/2, χ²(0.975; 2k+2)/2], divided by the recaps.
 *   k = 0: high solves e^−μ = 0.025 → μ = ln 40 = 3.6889.  k = 1: low solves 1 − e^−μ = 0.025 →
 *   μ = −ln 0.975 = 0.0253; high = χ²(0.975; 4)/2 = 11.1433/2 = 5.5716.  k = 5: [3.2470/2, 23.3367/2]
 *   = [1.6235, 11.6683]; k = 10: [9.5908/2, 36.7807/2] = [4.7954, 18.3904]; k = 30: [20.2409, 42.8269];
 *   k = 80: [63.4350, 99.5669] (chi-square quantiles from tables / scipy.stats.chi2.ppf).
 */

const PUBLISHED_AT = new Date("2026-07-06T12:00:00Z");

function recaps(published: number, signupsPerRecap: readonly number[]): RecapLoopFacts[] {
  return Array.from({ length: published }, (_, index) => {
    const signups = signupsPerRecap[index] ?? 0;
    return {
      recapId: `r${index}`,
      locale: "en",
      variant: "A",
      kind: "quarterly",
      segment: null,
      channel: "linkedin",
      generatedAt: new Date("2026-07-01T09:00:00Z"),
      approvedAt: PUBLISHED_AT,
      publishedAt: PUBLISHED_AT,
      sharedAt: PUBLISHED_AT,
      firstSignupAt: signups > 0 ? new Date(PUBLISHED_AT.getTime() + 2 * 60_000) : null,
      humanClicks: signups,
      botClicks: 0,
      visitors: signups,
      shareStarts: 0,
      signups,
      activations: 0,
      paid: 0,
      revenue: 0,
      llmCostUsd: 0,
    };
  });
}

const times = (count: number, value: number) => Array.from({ length: count }, () => value);

describe("the loop KPIs' 95 % intervals and the verdict they allow", () => {
  it("calls one published recap without a signup too early, not a loop that does not sustain itself", () => {
    const kpis = loopKpis(recaps(1, []));
    expect(kpis).toMatchObject({
      conversionRate: 0,
      conversionRateInterval: { low: 0, high: 0.7935 },
      multiplier: 0,
      multiplierInterval: { low: 0, high: 3.6889 },
      verdict: "too_early",
    });
    expect(kpis.statement).toContain("Too early to tell: 1 of the 10 published recaps needed");
  });

  it("calls one published recap with one signup too early, not self-sustaining", () => {
    const kpis = loopKpis(recaps(1, [1]));
    expect(kpis).toMatchObject({
      conversionRateInterval: { low: 0.2065, high: 1 },
      multiplierInterval: { low: 0.0253, high: 5.5716 },
      verdict: "too_early",
    });
  });

  it("gives no verdict at nine published recaps even when the interval lies on one side of 1", () => {
    const none = loopKpis(recaps(9, []));
    // Wilson 0/9 and Garwood 0 / 9 = 3.6889 / 9: the whole interval is below 1, but the sample is too small.
    expect(none).toMatchObject({
      conversionRateInterval: { low: 0, high: 0.2991 },
      multiplierInterval: { low: 0, high: 0.4099 },
      verdict: "too_early",
    });
    const many = loopKpis(recaps(9, times(5, 6))); // 30 signups from 5 of 9
    expect(many).toMatchObject({
      conversionRateInterval: { low: 0.2667, high: 0.8112 },
      multiplierInterval: { low: 2.249, high: 4.7585 },
      verdict: "too_early",
    });
    expect(many.statement).toContain("Too early to tell: 9 of the 10 published recaps needed");
  });

  it("calls ten published recaps with one signup below one: the whole interval is under 1", () => {
    const kpis = loopKpis(recaps(10, [1]));
    expect(kpis).toMatchObject({
      conversionRate: 0.1,
      conversionRateInterval: { low: 0.0179, high: 0.4042 },
      multiplier: 0.1,
      multiplierInterval: { low: 0.0025, high: 0.5572 },
      verdict: "below_one",
    });
    expect(kpis.statement).toMatch(/0\.00 to 0\.56\): below 1, so this loop does not sustain itself/);
  });

  it("stays too early at ten published recaps while the multiplier's interval contains 1", () => {
    const kpis = loopKpis(recaps(10, times(5, 2))); // 10 signups from 5 of 10
    expect(kpis).toMatchObject({
      conversionRateInterval: { low: 0.2366, high: 0.7634 },
      multiplier: 1,
      multiplierInterval: { low: 0.4795, high: 1.839 },
      verdict: "too_early",
    });
    expect(kpis.statement).toContain("Too early to tell: the multiplier could be anywhere from 0.48 to 1.84");
  });

  it("decides at fifty published recaps with none, a few and many signups", () => {
    expect(loopKpis(recaps(50, []))).toMatchObject({
      conversionRateInterval: { low: 0, high: 0.0713 },
      multiplierInterval: { low: 0, high: 0.0738 },
      verdict: "below_one",
    });
    expect(loopKpis(recaps(50, times(5, 1)))).toMatchObject({
      conversionRate: 0.1,
      conversionRateInterval: { low: 0.0435, high: 0.2136 },
      multiplierInterval: { low: 0.0325, high: 0.2334 }, // 1.6235 / 50, 11.6683 / 50
      verdict: "below_one",
    });
    const many = loopKpis(recaps(50, times(20, 4))); // 80 signups from 20 of 50
    expect(many).toMatchObject({
      conversionRateInterval: { low: 0.2761, high: 0.5382 },
      multiplier: 1.6,
      multiplierInterval: { low: 1.2687, high: 1.9913 }, // 63.4350 / 50, 99.5669 / 50
      verdict: "self_sustaining",
    });
    expect(many.statement).toMatch(/1\.27 to 1\.99\): above 1, so the loop sustains itself/);
  });

  it("has no intervals and no verdict without published recaps", () => {
    expect(loopKpis([])).toMatchObject({
      conversionRateInterval: null,
      multiplierInterval: null,
      verdict: "no_published_recaps",
    });
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(multiplierInterval(3, 0)).toBeNull();
  });

  it("keeps minutes in the velocity instead of rounding two minutes to zero hours", () => {
    expect(loopKpis(recaps(1, [1])).velocity).toEqual({ completedLoops: 1, medianHours: 0.0333, p90Hours: 0.0333 });
  });

  it("solves the exact Poisson bounds without underflow for large counts", () => {
    // χ²(0.025; 2000)/2 = 938.973 and χ²(0.975; 2002)/2 = 1063.952 (scipy.stats.chi2.ppf); e^−1000 alone
    // underflows to 0, so the Poisson sum has to run in log space.
    const { low, high } = poissonMeanInterval(1000);
    expect(low).toBeCloseTo(938.973, 2);
    expect(high).toBeCloseTo(1063.952, 2);
    // χ²(0.025; 200000)/2 = 99381.1527, χ²(0.975; 200002)/2 = 100621.7447: the sum's window starts far
    // above 0 here, from ln Γ, and must still land on the chi-square values.
    const huge = poissonMeanInterval(100_000);
    expect(huge.low).toBeCloseTo(99381.1527, 2);
    expect(huge.high).toBeCloseTo(100621.7447, 2);
  });
});
