import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { writeLoopScenario } from "./loop-scenario.js";

let t: TestContext;
let key: string;
let otherKey: string;

const RANGE = "from=2026-07-01T00:00:00Z&to=2026-10-01T00:00:00Z";
const get = (query: string, as = key) => call(t.app, "GET", `/v1/analytics/loop?${query}`, { key: as });

beforeAll(async () => {
  t = await createTestContext();
  const owner = await makeTenantWithKey(t.deps);
  key = owner.key;
  const economics = {
    loopEconomics: { paidChannelCac: 400, rewardPerCompletedLoop: 20, reviewCostPerRecap: 5, usdExchangeRate: 0.9 },
  };
  const patched = await call(t.app, "PATCH", "/v1/tenant", { key, body: economics });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  expect(patched.body.loopEconomics).toEqual(economics.loopEconomics);
  await writeLoopScenario(t.deps.sql, owner.tenant.id);
  otherKey = (await makeTenantWithKey(t.deps)).key;
});
afterAll(() => t.close());

describe("GET /v1/analytics/loop on the hand-computed quarter (tests/loop/loop-scenario.ts)", () => {
  it("counts the funnel's stages, bots kept out", async () => {
    const response = await get(RANGE);
    expect(response.status, response.text).toBe(200);
    // R1–R7 and the erased tally; R8 was generated after the range.
    expect(response.body.totals.stages).toEqual({
      generated: 8,
      approved: 7, // all but R7
      published: 6, // R1–R5 and the tally
      shared: 5, // R5 has no link
      visitors: 8, // R1 v1+v2, R2 v3, R3 two untracked clicks, R4 v4, tally 2
      signups: 7, // 2 + 1 + 3 + tally 1
      activated: 1,
      paid: 3, // u1, u5, u6
    });
    expect(response.body.totals.humanClicks).toBe(9); // 2 + 1 + 2 + 1 + 3; v1's second click is deduped
    expect(response.body.totals.botClicks).toBe(4); // R1's two bots (one is the share start), Slackbot, tally 1
    expect(response.body.totals.shareStarts).toBe(1);
    expect(response.body.erasedRecapsIncluded).toBe(1);
  });

  it("computes conversion rate, velocity and multiplier", async () => {
    const { kpis } = (await get(RANGE)).body.totals;
    // Completed loops: R1, R2, R3, tally of 6 published. Hours to first signup: R1 6, R2 48, R3 12, tally 48.
    // Sorted 6, 12, 48, 48: median (12 + 48) / 2 = 30; p90 at rank 0.9 × 3 = 2.7 → 48.
    expect(kpis).toEqual({
      publishedRecaps: 6,
      completedLoops: 4,
      conversionRate: 0.6667,
      // Wilson 4/6: 1 + z²/6 = 1.640243; centre (0.666667 + 0.320122) / 1.640243 = 0.601611; half-width
      // 1.194921 · √(0.037037 + 0.026677) = 0.301611 → [0.3, 0.9032].
      conversionRateInterval: { low: 0.3, high: 0.9032 },
      velocity: { completedLoops: 4, medianHours: 30, p90Hours: 48 },
      multiplier: 1.1667, // 7 signups / 6 published
      // Garwood for 7 signups: [χ²(0.025; 14)/2, χ²(0.975; 16)/2] = [2.8144, 14.4227], ÷ 6 published.
      multiplierInterval: { low: 0.4691, high: 2.4038 },
      signupsPerCompletedLoop: 1.75,
      // Issue 17: six published recaps are too few for a verdict (was "self_sustaining" at 1.17).
      verdict: "too_early",
      statement: expect.stringContaining("Too early to tell: 6 of the 10 published recaps needed"),
    });
    expect(kpis.statement).toContain("1.17 new signups per recap, which could be anywhere from 0.47 to 2.40");
  });

  it("calls a group's two published recaps without a signup too early, not a failed loop", async () => {
    const { groups } = (await get(`${RANGE}&groupBy=locale`)).body;
    const byKey = Object.fromEntries(groups.map((group: { key: string }) => [group.key, group]));
    expect(Object.keys(byKey).sort()).toEqual(["de", "en", "et", "fi", "sv"]);
    // Issue 17: was "below_one" with "does not sustain itself". Wilson 0/2: 1 + z²/2 = 2.920729,
    // high = 2 · (z²/4) / 2.920729 = 0.6576; Garwood for 0 signups: ln 40 = 3.6889, ÷ 2 = 1.8444.
    expect(byKey.de.kpis).toMatchObject({
      publishedRecaps: 2,
      completedLoops: 0,
      multiplier: 0,
      conversionRateInterval: { low: 0, high: 0.6576 },
      multiplierInterval: { low: 0, high: 1.8444 },
      verdict: "too_early",
    });
    expect(byKey.de.kpis.statement).toMatch(/^Too early to tell: 2 of the 10 published recaps needed/);
    expect(byKey.de.kpis.statement).not.toMatch(/does not sustain itself/);
    expect(byKey.fi.kpis).toMatchObject({ publishedRecaps: 2, multiplier: 1.5, conversionRate: 1 });
    expect(byKey.fi.kpis.velocity).toEqual({ completedLoops: 2, medianHours: 27, p90Hours: 43.8 }); // 6 and 48
    expect(byKey.en.kpis).toMatchObject({
      publishedRecaps: 0,
      multiplier: null,
      conversionRateInterval: null,
      multiplierInterval: null,
      verdict: "no_published_recaps",
    });
    expect(byKey.en.stages).toMatchObject({ generated: 2, approved: 1, published: 0 });
  });

  it("groups by channel (the channel of a recap's first human click), template and segment", async () => {
    const channels = (await get(`${RANGE}&groupBy=channel`)).body.groups;
    const channel = Object.fromEntries(channels.map((group: { key: string | null }) => [String(group.key), group]));
    expect(channel.linkedin.stages).toMatchObject({ published: 3, signups: 6 }); // R1, R3, tally
    expect(channel.linkedin.kpis.multiplier).toBe(2);
    expect(channel.email.stages).toMatchObject({ published: 1, signups: 1 });
    expect(channel.copy.stages).toMatchObject({ published: 1, signups: 0 });
    expect(channel.null.stages).toMatchObject({ generated: 3, published: 1 }); // R5, R6, R7: never shared

    const templates = (await get(`${RANGE}&groupBy=template`)).body.groups;
    expect(
      templates.map((group: { key: string; stages: { generated: number } }) => [group.key, group.stages.generated]),
    ).toEqual([
      ["quarterly", 7],
      ["milestone", 1],
    ]);
    const segments = (await get(`${RANGE}&groupBy=segment`)).body.groups;
    const smb = segments.find((group: { key: string | null }) => group.key === "smb");
    expect(smb.stages).toMatchObject({ generated: 5, published: 3, signups: 6 }); // R1, R3, R6, R7, tally: 2 + 3 + 1
  });

  it("trends the KPIs by the week of publication", async () => {
    const { trend } = (await get(RANGE)).body;
    expect(trend).toEqual([
      {
        weekStart: "2026-07-06",
        publishedRecaps: 2,
        completedLoops: 2,
        conversionRate: 1,
        multiplier: 1.5,
        velocity: { completedLoops: 2, medianHours: 27, p90Hours: 43.8 },
      },
      {
        weekStart: "2026-07-13",
        publishedRecaps: 2,
        completedLoops: 1,
        conversionRate: 0.5,
        multiplier: 1.5,
        velocity: { completedLoops: 1, medianHours: 12, p90Hours: 12 },
      },
      {
        weekStart: "2026-07-20",
        publishedRecaps: 2,
        completedLoops: 1,
        conversionRate: 0.5,
        multiplier: 0.5,
        velocity: { completedLoops: 1, medianHours: 48, p90Hours: 48 },
      },
    ]);
  });

  it("compares the variants with a two-proportion test and the sample size still needed", async () => {
    const { variants } = (await get(RANGE)).body;
    // A: R1 ✓, R4, R5, tally ✓ → 2/4; B: R2 ✓, R3 ✓ → 2/2. Pooled 4/6; SE = √(⅔·⅓·(¼+½)) = 0.40825;
    // z = 0.5 / 0.40825 = 1.2247; p = 2(1 − Φ(1.2247)) = 0.2207. n = (1.95996·√(2·0.75·0.25) +
    // 0.84162·√(0.25 + 0))² / 0.5² = (1.20025 + 0.42081)² / 0.25 = 10.51 → 11 per variant.
    expect(variants).toMatchObject({
      a: { successes: 2, trials: 4, rate: 0.5 },
      b: { successes: 2, trials: 2, rate: 1 },
      difference: 0.5,
      z: 1.225,
      pValue: 0.2207,
      significant: false,
      sampleSizePerVariant: 11,
      additionalNeeded: { a: 7, b: 9 },
    });
    expect(variants.statement).toMatch(/Not significant yet/);
  });

  it("prices the loop against the paid channel", async () => {
    const { economics } = (await get(RANGE)).body;
    // LLM: R1 0.02 + R2 0.03 + R7 0.01 + tally 0.04 = 0.10 USD (R8 and the recap-less call excluded) → 0.09 EUR.
    // Review 8 × 5 = 40; rewards 4 completed loops × 20 = 80; loop cost 120.09.
    // Revenue 100 + 50 EUR (30 USD left out); 3 paying customers: loop CAC 40.03, LTV 150 / 3 = 50.
    expect(economics).toEqual({
      currency: "EUR",
      llmSpendUsd: 0.1,
      llmSpendPerRecapUsd: 0.0125,
      llmSpend: 0.09,
      reviewCost: 40,
      rewardCost: 80,
      loopCost: 120.09,
      costPerSignup: 17.16,
      attributedRevenue: 150,
      loopCac: 40.03,
      paidChannelCac: 400,
      loopCacToPaidCac: 0.1,
      ltv: 50,
      ltvSource: "attributed_revenue",
      ltvToLoopCac: 1.25,
      ltvToPaidCac: 0.13,
      missing: [],
    });
  });

  it("shows another tenant none of it, and needs analytics:read", async () => {
    const other = await get(RANGE, otherKey);
    expect(other.status).toBe(200);
    expect(other.body.totals.stages.generated).toBe(0);
    expect(other.body.economics.missing).toEqual(["paidChannelCac"]);
    const { tenant } = await makeTenantWithKey(t.deps);
    const { key: eventsOnly } = await makeApiKey(t.deps, tenant.id, ["events:write"]);
    expectProblem(await get(RANGE, eventsOnly), 403, "insufficient_scope");
  });

  it("describes the intervals and the too_early verdict in /openapi.json", async () => {
    const doc = (await call(t.app, "GET", "/openapi.json")).body;
    const kpis = doc.components.schemas.LoopKpis;
    for (const field of ["conversionRateInterval", "multiplierInterval"]) {
      expect(kpis.required).toContain(field);
      expect(JSON.stringify(kpis.properties[field])).toMatch(/"low".*"high"/);
    }
    expect(kpis.properties.verdict.enum).toEqual(["self_sustaining", "below_one", "too_early", "no_published_recaps"]);
  });

  it("refuses bad ranges and parameters with problem+json", async () => {
    expectProblem(await get("from=2026-08-01T00:00:00Z&to=2026-07-01T00:00:00Z"), 400, "validation_failed");
    expectProblem(await get("from=2020-01-01T00:00:00Z&to=2026-07-01T00:00:00Z"), 400, "validation_failed");
    expectProblem(await get(`${RANGE}&groupBy=planet`), 400, "validation_failed");
    expectProblem(await get("from=yesterday"), 400, "validation_failed");
    expectProblem(await get(`${RANGE}&colour=blue`), 400, "validation_failed");
  });
});
