import { describe, expect, it } from "vitest";
import {
  ARCHETYPES,
  buildDigest,
  changePercent,
  percentileBand,
  scoreMetricFact,
  scoreRoi,
} from "../../src/usage/digest.js";
import type { DigestMetric, Fact } from "../../src/usage/digest.types.js";
import {
  factOf,
  digestInput as input,
  metric,
  ok,
  Q2_2026 as PERIOD,
  Q1_2026 as PREVIOUS,
  type Values,
} from "../support/digests.js";

/** A one-metric digest: the fact for that metric. */
function single(overrides: Partial<DigestMetric>, current: number, previous: number | null = null): Fact {
  return factOf(buildDigest(input([metric("m", overrides)], { m: [current, previous] })), "metric:m");
}

/** A peer group of `size` accounts: the given values, the rest at `rest`. */
function group(values: number[], size: number, rest = 1): number[] {
  return [...values, ...Array<number>(size - values.length).fill(rest)];
}

describe("the data gate", () => {
  it.each([
    [{ events: 19, activeDays: 40 }, { m: 5 }, ["fewer than 20 events in the period"]],
    [{ events: 500, activeDays: 2 }, { m: 5 }, ["active on fewer than 3 days"]],
    [{ events: 500, activeDays: 40 }, { m: 0 }, ["no outcome metric has a value above zero"]],
    [{ events: 500, activeDays: 40 }, {}, ["no outcome metric has a value above zero"]],
    [
      { events: 4, activeDays: 1 },
      { m: 0 },
      ["fewer than 20 events in the period", "active on fewer than 3 days", "no outcome metric has a value above zero"],
    ],
  ])("with activity %j and values %j, refuses with the reasons %j", (activity, values, reasons) => {
    const digest = buildDigest(input([metric("m")], values, { activity }));
    expect(digest).toEqual({ status: "insufficient_data", period: PERIOD, reasons, activity });
  });

  it("lets exactly 20 events on 3 days and one value above zero through", () => {
    const digest = buildDigest(input([metric("m")], { m: 1 }, { activity: { events: 20, activeDays: 3 } }));
    expect(digest.status).toBe("ok");
  });

  it("uses the gate it is given, such as none for totals the backend vouches for", () => {
    const activity = { events: 0, activeDays: 0 };
    const digest = buildDigest(input([metric("m")], { m: 7 }, { activity, gate: { minEvents: 0, minActiveDays: 0 } }));
    expect(ok(digest).activity).toEqual(activity);
  });

  it("leaves out metrics at zero and keeps the rest", () => {
    const digest = ok(buildDigest(input([metric("a"), metric("b")], { a: 0, b: 3 })));
    expect(digest.facts.map((fact) => fact.id)).toEqual(["metric:b"]);
  });
});

describe("change against the previous quarter", () => {
  it.each([
    // current, previous, change %, improved (higher is better)
    [150, null, null, null],
    [150, 0, null, null],
    [150, 100, 50, true],
    [350, 100, 250, true],
    [108, 100, 8, true],
    [1023, 1000, 2.3, true],
    [401, 400, 0.3, true],
    [399, 400, -0.3, false],
    [1045, 1000, 4.5, true],
    [955, 1000, -4.5, false],
    [1234, 1000, 23, true],
    [1125, 1000, 13, true],
    [875, 1000, -13, false],
    [966, 1000, -3.4, false],
    [10, 9, 11, true],
    [100, 300, -67, false],
    [100, 100, 0, false],
  ])("%d after %j is a change of %j percent (improved: %j)", (current, previous, change, improved) => {
    const fact = single({}, current, previous);
    expect(fact.changePercent).toBe(change);
    expect(fact.improved).toBe(improved);
  });

  it.each([
    // current, previous, change %, improved (lower is better)
    [60, 80, -25, true],
    [80, 60, 33, false],
    [90, 120, -25, true],
    [100, 100, 0, false],
    [50, null, null, null],
  ])("lower is better: %d after %j is a change of %j percent (improved: %j)", (current, previous, change, improved) => {
    const fact = single({ higherIsBetter: false, outcomeKind: "speed_gained" }, current, previous);
    expect(fact.changePercent).toBe(change);
    expect(fact.improved).toBe(improved);
  });

  it("never reports a change of minus zero", () => {
    expect(Object.is(changePercent(9999, 10000), 0)).toBe(true);
  });
});

describe("units and rounding", () => {
  it.each([
    // unit, multiplier, raw current, raw previous, displayed unit, value, previous value
    ["minutes", 3, 39, 10, "minutes", 117, 30],
    ["minutes", 1, 119, 600, "minutes", 119, 600],
    ["minutes", 3, 40, 30, "hours", 2, 1.5],
    ["minutes", 1, 125, 45, "hours", 2.1, 0.8],
    ["minutes", 1, 610, 90, "hours", 10, 1.5],
    ["minutes", 3, 25680, 20000, "hours", 1284, 1000],
    ["hours", 1, 12.34, 3.46, "hours", 12, 3.5],
    ["days", 1, 2.25, 1.04, "days", 2.3, 1],
    ["count", 1, 12.5, 9.95, "count", 13, 10],
    ["count", 0.5, 3, 2, "count", 1.5, 1],
    ["money", 1, 1234.5, 4.4, "money", 1235, 4],
    ["money", 1, 2500, 999.6, "money", 2500, 1000],
    ["percent", 1, 45.26, 38.44, "percent", 45.3, 38.4],
  ] as const)(
    "%s × %d of %d (before: %d) reads as %s %d (before: %d)",
    (unit, multiplier, current, previous, displayUnit, value, previousValue) => {
      const fact = single({ unit, multiplier }, current, previous);
      expect(fact.unit).toBe(displayUnit);
      expect(fact.value).toBe(value);
      expect(fact.previousValue).toBe(previousValue);
    },
  );

  it("gives no previous value when there was no previous quarter", () => {
    expect(single({ unit: "minutes", multiplier: 3 }, 400, null).previousValue).toBeNull();
  });

  it.each([
    // unit, multiplier, raw, hourly rate, money value
    ["minutes", 3, 800, 45, 1800],
    ["minutes", 1, 90, 40, 60],
    ["minutes", 1, 125, 30, 63],
    ["hours", 1, 12.5, 50, 625],
    ["days", 1, 2, 10, 480],
  ] as const)("%s × %d of %d at %d an hour is worth %d", (unit, multiplier, raw, hourlyRate, money) => {
    expect(single({ unit, multiplier, hourlyRate }, raw).moneyValue).toBe(money);
  });

  it("has no money value without an hourly rate", () => {
    expect(single({ unit: "minutes", multiplier: 3 }, 800).moneyValue).toBeNull();
  });
});

describe("peer percentile", () => {
  it.each([
    // this account's value, the group (this account included), higher is better, band
    ["best of 9: the group is too small", 100, group([100], 9), true, null],
    ["best of 10", 100, group([100], 10), true, 10],
    ["second of 10", 90, group([100, 90], 10), true, 25],
    ["third of 10", 80, group([100, 90, 80], 10), true, null],
    ["best of 20", 100, group([100], 20), true, 5],
    ["second of 20", 90, group([100, 90], 20), true, 10],
    ["third of 20", 80, group([100, 90, 80], 20), true, 25],
    ["fifth of 20", 60, group([100, 90, 80, 70, 60], 20), true, 25],
    ["sixth of 20: unflattering", 50, group([100, 90, 80, 70, 60, 50], 20), true, null],
    ["second of 40", 90, group([100, 90], 40), true, 5],
    ["third of 40", 80, group([100, 90, 80], 40), true, 10],
    ["tied with two others at the top of 20", 100, group([100, 100, 100], 20), true, 5],
    ["tied behind one better of 20", 90, group([100, 90, 90, 90], 20), true, 10],
    ["last of 20", 1, group([1], 20, 50), true, null],
    ["lowest of 20 when lower is better", 2, group([2], 20, 50), false, 5],
    ["second lowest of 20 when lower is better", 3, group([2, 3], 20, 50), false, 10],
    ["highest of 20 when lower is better", 50, group([50], 20, 2), false, null],
    ["a value of zero", 0, group([0], 20, 0), true, null],
  ])("%s → %j", (_case, value, peers, higherIsBetter, band) => {
    expect(percentileBand(value, peers, higherIsBetter)).toBe(band);
  });

  const peerInput = (peerComparison: boolean) =>
    input(
      [metric("m")],
      { m: 100 },
      {
        peers: { segment: "smb", size: 20, values: new Map([["m", group([100], 20)]]) },
        peerComparison,
      },
    );

  it("shows the band on the fact when the account consented", () => {
    const digest = ok(buildDigest(peerInput(true)));
    expect(factOf(digest, "metric:m").percentileBand).toBe(5);
    expect(digest.peerGroup).toEqual({ segment: "smb", size: 20, shown: true });
  });

  it("shows no band without consent, however flattering", () => {
    const digest = ok(buildDigest(peerInput(false)));
    expect(factOf(digest, "metric:m").percentileBand).toBeNull();
    expect(digest.peerGroup.shown).toBe(false);
  });

  it("shows no band without a peer group", () => {
    const digest = ok(buildDigest(input([metric("m")], { m: 100 }, { peerComparison: true })));
    expect(factOf(digest, "metric:m").percentileBand).toBeNull();
    expect(digest.peerGroup).toEqual({ segment: null, size: 0, shown: false });
  });
});

describe("return on the subscription", () => {
  const time = metric("hours_saved", { outcomeKind: "time_saved", unit: "minutes", multiplier: 3, hourlyRate: 45 });
  const money = metric("invoices", { outcomeKind: "money", unit: "money", aggregation: "sum" });

  it("adds time at its hourly rate to money and divides by the quarter's cost", () => {
    // 800 runs × 3 min = 40 h × 45 = 1,800; plus 1,200 of money = 3,000 over 600.
    const digest = buildDigest(input([time, money], { hours_saved: 800, invoices: 1200 }, { quarterlyCost: 600 }));
    const roi = factOf(digest, "roi");
    expect(roi).toMatchObject({ kind: "roi", unit: "ratio", value: 5, moneyValue: 3000, score: 2.1 });
    expect(roi.provenance).toEqual({
      source: "derived",
      formula: "value created (3000 EUR) ÷ subscription cost for the quarter (600 EUR)",
      period: PERIOD,
    });
  });

  it.each([
    // money created, quarterly cost, ROI shown (null: no ROI fact)
    [1800, 700, 2.6],
    [1800, 1799, 1],
    [1800, 1800, 1],
    [1800, 1875, null],
    [1800, 2000, null],
    [1800, 0, null],
    [1800, null, null],
  ])("with %d created for a cost of %j, the ROI is %j", (created, cost, shown) => {
    const digest = ok(buildDigest(input([money], { invoices: created }, { quarterlyCost: cost })));
    expect(digest.facts.find((fact) => fact.id === "roi")?.value ?? null).toBe(shown);
  });

  it("prints the cost in the formula to the cent", () => {
    const digest = buildDigest(input([money], { invoices: 500 }, { quarterlyCost: 149.97000000000003 }));
    expect(factOf(digest, "roi").provenance.formula).toBe(
      "value created (500 EUR) ÷ subscription cost for the quarter (149.97 EUR)",
    );
  });

  it("does not count money or time a team wants less of as value created", () => {
    const spend = metric("cloud_spend", { outcomeKind: "money", unit: "money", higherIsBetter: false });
    const waiting = metric("wait", {
      outcomeKind: "speed_gained",
      unit: "hours",
      hourlyRate: 50,
      higherIsBetter: false,
    });
    const digest = buildDigest(
      input([time, spend, waiting], { hours_saved: 800, cloud_spend: 5000, wait: 100 }, { quarterlyCost: 1000 }),
    );
    expect(factOf(digest, "roi").value).toBe(1.8);
  });

  it("is absent when nothing carries a money value", () => {
    const digest = ok(buildDigest(input([metric("m")], { m: 5000 }, { quarterlyCost: 10 })));
    expect(digest.facts.map((fact) => fact.id)).toEqual(["metric:m"]);
  });
});

describe("the headline score", () => {
  const base = { changePercent: null, improved: null, percentileBand: null } as const;

  it.each([
    ["money", 1.6],
    ["time_saved", 1.5],
    ["risk_reduced", 1.4],
    ["speed_gained", 1.3],
    ["adoption", 1.1],
  ] as const)("gives a %s fact with nothing else %d", (outcomeKind, score) => {
    expect(scoreMetricFact({ ...base, outcomeKind }, 100)).toBe(score);
  });

  it.each([
    ["a 50 % improvement", { changePercent: 50, improved: true }, 100, 2],
    ["a 40 % fall that is an improvement", { changePercent: -40, improved: true }, 100, 1.9],
    ["a 350 % improvement, capped at 200 %", { changePercent: 350, improved: true }, 100, 3.5],
    ["a 20 % fall that is not an improvement", { changePercent: -20, improved: false }, 100, 1.5],
    ["a top 5 % rank", { percentileBand: 5 }, 100, 3],
    ["a top 10 % rank", { percentileBand: 10 }, 100, 2.5],
    ["a top 25 % rank", { percentileBand: 25 }, 100, 2],
    ["priority 0", {}, 0, 2],
    ["priority 40", {}, 40, 1.8],
    ["priority 90", {}, 90, 1.55],
    ["priority 500", {}, 500, 1.5],
  ] as const)("adds %s to a time-saved fact", (_case, fact, priority, score) => {
    expect(scoreMetricFact({ ...base, outcomeKind: "time_saved", ...fact }, priority)).toBe(score);
  });

  it("adds everything up for a money fact that grew 30 %, ranks top 10 % and has priority 20", () => {
    const fact = { outcomeKind: "money", changePercent: 30, improved: true, percentileBand: 10 } as const;
    expect(scoreMetricFact(fact, 20)).toBe(3.3);
  });

  it.each([
    [1, 1.7],
    [4.6, 2.06],
    [20, 3.6],
    [35, 3.6],
  ])("gives an ROI of %d the score %d", (roi, score) => {
    expect(scoreRoi(roi)).toBe(score);
  });
});

describe("headline and archetype", () => {
  const hours = metric("hours_saved", {
    outcomeKind: "time_saved",
    unit: "minutes",
    multiplier: 3,
    hourlyRate: 45,
    priority: 10,
  });
  const errors = metric("errors_prevented", { outcomeKind: "risk_reduced", aggregation: "sum", priority: 20 });
  const invoices = metric("invoices", { outcomeKind: "money", unit: "money", aggregation: "sum", priority: 30 });
  const users = metric("active_users", {
    aggregation: "distinct",
    distinctProperty: "user_id",
    priority: 40,
  });
  const values: Values = {
    // score = 1 + size (log10(1 + money or value) / 12) + improvement + kind + priority
    hours_saved: [800, 500], // 40 h = 1,800 €, +60 %: 1 + 0.271 + 0.6 + 0.5 + 0.45 = 2.821
    errors_prevented: [30, 40], // −25 %, not an improvement: 1 + 0.124 + 0.4 + 0.4 = 1.924
    invoices: [12000, 10000], // +20 %: 1 + 0.34 + 0.2 + 0.6 + 0.35 = 2.49
    active_users: [12, 6], // +100 %: 1 + 0.093 + 1 + 0.1 + 0.3 = 2.493
  };
  const all = [hours, errors, invoices, users];

  it("ranks the facts by score and heads with the best three", () => {
    // ROI: 1,800 + 12,000 = 13,800 over 3,000 = 4.6, scored 1 + 0.46 + 0.6 = 2.06.
    const digest = ok(buildDigest(input(all, values, { quarterlyCost: 3000 })));
    expect(digest.facts.map((fact) => [fact.id, fact.score])).toEqual([
      ["metric:hours_saved", 2.821],
      ["metric:active_users", 2.493],
      ["metric:invoices", 2.49],
      ["roi", 2.06],
      ["metric:errors_prevented", 1.924],
    ]);
    expect(digest.headline).toEqual(["metric:hours_saved", "metric:active_users", "metric:invoices"]);
    expect(digest.archetype).toBe("archetype.automator");
  });

  it("lifts a fact with a flattering rank into the lead and the archetype with it", () => {
    const peers = { segment: "smb", size: 20, values: new Map([["errors_prevented", group([30], 20, 5)]]) };
    // errors_prevented: 1.924 + 1.5 = 3.424
    const digest = ok(buildDigest(input(all, values, { peers, peerComparison: true })));
    expect(digest.headline).toEqual(["metric:errors_prevented", "metric:hours_saved", "metric:active_users"]);
    expect(digest.archetype).toBe("archetype.guardian");
  });

  it("orders the same facts the same way whatever order the metrics come in", () => {
    const forward = ok(buildDigest(input(all, values, { quarterlyCost: 3000 })));
    const backward = ok(buildDigest(input([...all].reverse(), values, { quarterlyCost: 3000 })));
    expect(backward.facts).toEqual(forward.facts);
    expect(backward.headline).toEqual(forward.headline);
  });

  it.each([
    // keys with priorities, all scoring 1.1 (adoption, no change, priority 100 or more: no bonus)
    [
      "the lower priority first",
      [
        ["b_users", 200],
        ["a_users", 300],
      ],
      ["metric:b_users", "metric:a_users"],
    ],
    [
      "the key when the priorities are equal",
      [
        ["zeta", 100],
        ["alpha", 100],
        ["mid", 100],
      ],
      ["metric:alpha", "metric:mid", "metric:zeta"],
    ],
    [
      "the key's code points, whatever the locale",
      [
        ["x_1", 100],
        ["x1", 100],
      ],
      ["metric:x1", "metric:x_1"],
    ],
  ] as const)("breaks ties in score by %s", (_case, keys, headline) => {
    const metrics = keys.map(([key, priority]) => metric(key, { priority }));
    const digest = ok(buildDigest(input(metrics, Object.fromEntries(keys.map(([key]) => [key, 5])))));
    expect(digest.headline).toEqual(headline);
  });

  it.each([
    ["time_saved", "archetype.automator"],
    ["money", "archetype.value_maker"],
    ["risk_reduced", "archetype.guardian"],
    ["speed_gained", "archetype.accelerator"],
    ["adoption", "archetype.champion"],
  ] as const)("names an account whose only outcome is %s %s", (outcomeKind, archetype) => {
    const digest = ok(buildDigest(input([metric("m", { outcomeKind })], { m: 5 })));
    expect(digest.archetype).toBe(archetype);
    expect(ARCHETYPES[outcomeKind]).toBe(archetype);
  });

  it("picks the kind with the highest summed score, not the single best fact", () => {
    // money: 1.6 on its own; adoption: 1.1 + 1.1 = 2.2.
    const metrics = [metric("revenue", { outcomeKind: "money", unit: "money" }), metric("a"), metric("b")];
    const digest = ok(buildDigest(input(metrics, { revenue: 900, a: 3, b: 4 })));
    expect(digest.headline[0]).toBe("metric:revenue");
    expect(digest.archetype).toBe("archetype.champion");
  });

  it("does not count the ROI fact towards the money archetype", () => {
    const time = metric("t", { outcomeKind: "time_saved", unit: "hours", hourlyRate: 100 });
    // time: 1.5; ROI: 100 h × 100 = 10,000 over 100 → 20 (capped): 1 + 2 + 0.6 = 3.6, and no kind.
    const digest = ok(buildDigest(input([time], { t: 100 }, { quarterlyCost: 100 })));
    expect(digest.headline).toEqual(["roi", "metric:t"]);
    expect(digest.archetype).toBe("archetype.automator");
  });
});

describe("provenance", () => {
  it.each([
    [
      "a count of runs worth 3 minutes each",
      metric("hours_saved", { event: "automation.run", unit: "minutes", multiplier: 3 }),
      "count(automation.run) × 3 minutes (÷ 60 when 120 or more)",
    ],
    [
      "a count of distinct users",
      metric("active_users", { event: "user.active", aggregation: "distinct", distinctProperty: "user_id" }),
      "count(distinct user.active.properties.user_id) count",
    ],
    [
      "a sum of money",
      metric("invoices", { event: "invoice.processed", aggregation: "sum", unit: "money" }),
      "sum(invoice.processed.quantity) money",
    ],
    [
      "an average in hours",
      metric("latency", { event: "job.finished", aggregation: "average", unit: "hours", multiplier: 0.5 }),
      "average(job.finished.quantity) × 0.5 hours",
    ],
  ])("traces %s to its event, aggregation, formula and period", (_case, definition, formula) => {
    const fact = factOf(buildDigest(input([definition], { [definition.key]: [40, 25] })), `metric:${definition.key}`);
    expect(fact.provenance).toEqual({
      source: "events",
      metricKey: definition.key,
      event: definition.event,
      aggregation: definition.aggregation,
      formula,
      period: PERIOD,
      rawCurrent: 40,
      rawPrevious: 25,
    });
  });

  it("carries the source of totals the backend sent", () => {
    const digest = buildDigest({
      ...input([metric("m")], {}),
      aggregates: new Map([["m", { current: 12, previous: null, source: "inline" }]]),
    });
    expect(factOf(digest, "metric:m").provenance).toMatchObject({
      source: "inline",
      rawCurrent: 12,
      rawPrevious: null,
    });
  });

  it("hands back both periods", () => {
    const digest = ok(buildDigest(input([metric("m")], { m: 5 })));
    expect(digest.period).toEqual(PERIOD);
    expect(digest.previousPeriod).toEqual(PREVIOUS);
    expect(digest.currency).toBe("EUR");
    expect(digest.chart).toBeNull();
  });
});
