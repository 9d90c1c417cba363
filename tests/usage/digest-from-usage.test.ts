import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertAccount } from "../../src/usage/accounts.js";
import { computeDigest, loadDigestMetrics } from "../../src/usage/compute-digest.js";
import type { Digest } from "../../src/usage/digest.types.js";
import { aggregateUsageFile, digestFromUsage, mondayOf, NO_PEERS_NOTE } from "../../src/usage/digest-from-usage.js";
import { ingestEvents } from "../../src/usage/ingestion.js";
import { parseQuarter } from "../../src/usage/period.js";
import { parseUsageFile, parseUsageFileText, UsageFileError, type UsageFileInput } from "../../src/usage/usage-file.js";
import { upsertMetric } from "../../src/usage/value-model.js";
import { makeTenant } from "../support/factories.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

type Metric = NonNullable<UsageFileInput["valueModel"]>[number];
type Events = NonNullable<UsageFileInput["events"]>;
type Daily = NonNullable<UsageFileInput["daily"]>;

const metric = (key: string, overrides: Partial<Metric> = {}): Metric => ({
  key,
  label: key,
  event: "e",
  outcomeKind: "adoption",
  unit: "count",
  aggregation: "count",
  ...overrides,
});

/** A one-account file for Q3 2026 in Helsinki (UTC+3 in summer, so Q3 starts 2026-06-30T21:00Z). */
function file(usage: { events?: Events; daily?: Daily }, overrides: Partial<UsageFileInput> = {}): UsageFileInput {
  return {
    product: { name: "Northwind Flows", company: "Northwind Labs Oy" },
    account: { name: "Kide Analytics Oy", currency: "EUR", timeZone: "Europe/Helsinki" },
    period: "2026-Q3",
    valueModel: [metric("m")],
    ...usage,
    ...overrides,
  };
}

const event = (occurred_at: string, extra: Partial<Events[number]> = {}): Events[number] => ({
  event: "e",
  occurred_at,
  ...extra,
});

function raw(input: UsageFileInput, key = "m") {
  return aggregateUsageFile(parseUsageFile(input)).aggregates.get(key);
}

const OPEN_GATE = { gate: { minEvents: 0, minActiveDays: 0 } };
const ok = (digest: Digest) => {
  if (digest.status !== "ok") throw new Error(`digest is ${digest.status}: ${JSON.stringify(digest)}`);
  return digest;
};

describe("aggregating a usage file as the server aggregates its rollups", () => {
  const events: Events = [
    event("2026-07-02T09:00:00+03:00", { quantity: 2, properties: { user: "ann" } }),
    event("2026-07-02T09:01:00+03:00", { quantity: 5, properties: { user: "bob" } }),
    event("2026-08-14T15:30:00+03:00", { properties: { user: "ann" } }),
    event("2026-08-15T10:00:00+03:00", { quantity: 0, properties: { user: 7 } }),
  ];
  const daily: Daily = [
    { date: "2026-07-03", event: "e", count: 4, sum: 10, max: 6, distinct: { user: ["cid", "bob"] } },
    { date: "2026-09-30", event: "e", count: 2 },
  ];

  it.each([
    ["count: the number of events", { aggregation: "count" }, 4, 6, 10],
    ["sum: the sum of quantities (1 by default; daily sum defaults to count)", { aggregation: "sum" }, 8, 12, 20],
    ["max: the largest quantity", { aggregation: "max" }, 5, 6, 6],
    ["average: sum ÷ count", { aggregation: "average" }, 2, 2, 2],
    [
      "distinct: distinct values of a property, across days and sources",
      { aggregation: "distinct", distinctProperty: "user" },
      3,
      2,
      4,
    ],
  ] as const)("%s", (_name, overrides, fromEvents, fromDaily, mixed) => {
    const valueModel = [metric("m", overrides)];
    expect(raw(file({ events }, { valueModel }))?.current).toBe(fromEvents);
    expect(raw(file({ daily }, { valueModel }))?.current).toBe(fromDaily);
    expect(raw(file({ events, daily }, { valueModel }))?.current).toBe(mixed);
  });

  it("reads only the metric's own event, and counts activity only for events some metric reads", () => {
    const input = file({
      events: [...events, event("2026-07-10T10:00:00+03:00", { event: "other" })],
      daily: [{ date: "2026-07-11", event: "page.view", count: 500 }],
    });
    const result = aggregateUsageFile(parseUsageFile(input));
    expect(result.aggregates.get("m")?.current).toBe(4);
    expect(result.activity).toEqual({ events: 4, activeDays: 3 });
    expect(result.tally.unreadEvents).toEqual(["other", "page.view"]);
  });
});

describe("the quarter's edges in the account's time zone", () => {
  it.each([
    ["the first instant of Q3 in Helsinki", "2026-06-30T21:00:00Z", "current"],
    ["the last second of Q2 in Helsinki (00:00 UTC on 1 July is already Q3)", "2026-06-30T20:59:59Z", "previous"],
    ["midnight UTC on 1 July", "2026-07-01T00:00:00Z", "current"],
    ["the last second of Q3 in Helsinki", "2026-09-30T20:59:59Z", "current"],
    ["the first instant of Q4 in Helsinki", "2026-09-30T21:00:00Z", "outside"],
    ["the first instant of Q2 in Helsinki", "2026-03-31T21:00:00Z", "previous"],
    ["before Q2 in Helsinki", "2026-03-31T20:59:59Z", "outside"],
  ])("%s (%s) is %s", (_name, at, expected) => {
    const { tally } = aggregateUsageFile(parseUsageFile(file({ events: [event(at)] })));
    const where = tally.current.size > 0 ? "current" : tally.previous.size > 0 ? "previous" : "outside";
    expect(where).toBe(expected);
  });

  it.each([
    ["Asia/Kolkata (UTC+5:30)", "Asia/Kolkata", "2026-06-30T18:30:00Z", "2026-06-30T18:29:59Z"],
    ["Asia/Kathmandu (UTC+5:45)", "Asia/Kathmandu", "2026-06-30T18:15:00Z", "2026-06-30T18:14:59Z"],
    ["America/New_York (UTC−4 in summer)", "America/New_York", "2026-07-01T04:00:00Z", "2026-07-01T03:59:59Z"],
  ])("in %s the quarter starts at local midnight", (_name, timeZone, first, before) => {
    const account = { name: "A", currency: "EUR", timeZone };
    const { tally } = aggregateUsageFile(parseUsageFile(file({ events: [event(first), event(before)] }, { account })));
    expect([...(tally.current.get("e")?.keys() ?? [])]).toEqual(["2026-07-01"]);
    expect([...(tally.previous.get("e")?.keys() ?? [])]).toEqual(["2026-06-30"]);
  });

  it("places daily rows by their local date: the quarter is 1 July to 30 September", () => {
    const daily: Daily = ["2026-03-31", "2026-04-01", "2026-06-30", "2026-07-01", "2026-09-30", "2026-10-01"].map(
      (date) => ({ date, event: "e", count: 1 }),
    );
    const { tally, aggregates } = aggregateUsageFile(parseUsageFile(file({ daily })));
    expect(aggregates.get("m")).toEqual({ current: 2, previous: 2, source: "events" });
    expect(tally.outside).toBe(2);
  });

  it("counts active days on the local calendar, not the UTC one", () => {
    // 20:00Z is 23:00 in Helsinki on 1 July, 22:30Z is 01:30 on 2 July: one UTC day, two local days.
    const input = file({ events: [event("2026-07-01T20:00:00Z"), event("2026-07-01T22:30:00Z")] });
    expect(aggregateUsageFile(parseUsageFile(input)).activity).toEqual({ events: 2, activeDays: 2 });
  });
});

describe("the previous quarter", () => {
  const current: Daily = [{ date: "2026-08-03", event: "e", count: 40 }];

  it("without any event is no base: no previous value and no change", () => {
    const { digest, notes } = digestFromUsage(parseUsageFile(file({ daily: current })), OPEN_GATE);
    const fact = ok(digest).facts.find((candidate) => candidate.id === "metric:m");
    expect(fact).toMatchObject({ value: 40, previousValue: null, changePercent: null, improved: null });
    expect(notes).toContain("No change is shown: 2026-Q2 has no usage to compare with.");
  });

  it("with events of an unread event only is still no base", () => {
    const daily: Daily = [...current, { date: "2026-05-04", event: "page.view", count: 90 }];
    expect(raw(file({ daily }))).toEqual({ current: 40, previous: null, source: "events" });
  });

  it("with events of another metric's event is a base of zero for this one", () => {
    const valueModel = [metric("m"), metric("other", { event: "o" })];
    const daily: Daily = [...current, { date: "2026-05-04", event: "o", count: 3 }];
    expect(raw(file({ daily }, { valueModel }))).toEqual({ current: 40, previous: 0, source: "events" });
  });

  it("with events gives the change against it", () => {
    const daily: Daily = [...current, { date: "2026-05-04", event: "e", count: 32 }];
    const fact = ok(digestFromUsage(parseUsageFile(file({ daily })), OPEN_GATE).digest).facts[0];
    expect(fact).toMatchObject({ value: 40, previousValue: 32, changePercent: 25, improved: true });
  });
});

describe("the data gate", () => {
  const days = (count: number, perDay: number, event = "e"): Daily =>
    Array.from({ length: count }, (_, index) => ({
      date: `2026-07-${String(index + 1).padStart(2, "0")}`,
      event,
      count: perDay,
    }));

  it.each([
    ["19 events on 19 days", days(19, 1), ["fewer than 20 events in the period"]],
    ["20 events on 2 days", days(2, 10), ["active on fewer than 3 days"]],
    [
      "events that no metric reads",
      days(30, 10, "page.view"),
      ["fewer than 20 events in the period", "active on fewer than 3 days", "no outcome metric has a value above zero"],
    ],
    [
      "no usage at all",
      [],
      ["fewer than 20 events in the period", "active on fewer than 3 days", "no outcome metric has a value above zero"],
    ],
  ])("refuses %s", (_name, daily, reasons) => {
    const { digest } = digestFromUsage(parseUsageFile(file({ daily })));
    expect(digest).toMatchObject({ status: "insufficient_data", reasons });
  });

  it("passes 20 events on 3 days", () => {
    expect(digestFromUsage(parseUsageFile(file({ daily: days(3, 7) }))).digest.status).toBe("ok");
  });
});

describe("the digest of a single account", () => {
  const daily: Daily = [
    { date: "2026-05-04", event: "automation.run", count: 500 },
    { date: "2026-07-01", event: "automation.run", count: 100 },
    { date: "2026-07-02", event: "automation.run", count: 20 },
    // Sunday 5 July is the week of 29 June; Monday 6 July starts the next one.
    { date: "2026-07-05", event: "automation.run", count: 5 },
    { date: "2026-07-06", event: "automation.run", count: 30 },
    { date: "2026-09-30", event: "automation.run", count: 445 },
    { date: "2026-07-03", event: "invoice.discount_captured", count: 2, sum: 410.5, max: 300 },
  ];
  const input = (overrides: Partial<UsageFileInput> = {}) =>
    parseUsageFile(file({ daily }, { valueModel: undefined, ...overrides }));

  it("uses the default value model when the file has none, and charts the lead metric by week", () => {
    const digest = ok(digestFromUsage(input()).digest);
    expect(digest.facts.find((fact) => fact.id === "metric:hours_saved")).toMatchObject({
      value: 60, // 600 runs × 6 minutes
      unit: "hours",
      previousValue: 50,
      changePercent: 20,
      moneyValue: 2700, // at 45 an hour
    });
    expect(digest.chart?.metricKey).toBe("hours_saved");
    expect(digest.chart?.unit).toBe("hours");
    expect(digest.chart?.points).toHaveLength(14);
    expect(digest.chart?.points.slice(0, 2)).toEqual([
      { start: "2026-06-29", value: 12.5 }, // 125 runs
      { start: "2026-07-06", value: 3 },
    ]);
    expect(digest.chart?.points.at(-1)).toEqual({ start: "2026-09-28", value: 44.5 });
  });

  it("charts events by the local week they fall in", () => {
    // Sunday 23:30 UTC is Monday 02:30 in Helsinki: the week of 6 July.
    const events: Events = Array.from({ length: 30 }, () => event("2026-07-05T23:30:00Z", { event: "automation.run" }));
    const chart = ok(digestFromUsage(input({ events, daily: undefined }), OPEN_GATE).digest).chart;
    expect(chart?.points.slice(0, 2)).toEqual([
      { start: "2026-06-29", value: 0 },
      { start: "2026-07-06", value: 3 }, // 30 runs × 6 minutes
    ]);
    expect(chart?.unit).toBe("hours");
  });

  it("computes the return on the subscription from its price and period", () => {
    const account = {
      name: "Kide Analytics Oy",
      currency: "EUR",
      timeZone: "Europe/Helsinki",
      subscription: { price: 300, period: "month" as const },
    };
    const roi = ok(digestFromUsage(input({ account })).digest).facts.find((fact) => fact.id === "roi");
    // (2700 + 411) ÷ 900
    expect(roi).toMatchObject({ value: 3.5, moneyValue: 3111 });
    expect(roi?.provenance.formula).toContain("(900 EUR)");
  });

  it("says there is no return without a subscription, and never a peer rank", () => {
    const account = { name: "K", currency: "EUR", timeZone: "Europe/Helsinki", segment: "growth" };
    const { digest, notes } = digestFromUsage(input({ account }));
    const okDigest = ok(digest);
    expect(okDigest.facts.map((fact) => fact.id)).not.toContain("roi");
    expect(okDigest.facts.every((fact) => fact.percentileBand === null)).toBe(true);
    expect(okDigest.peerGroup).toEqual({ segment: null, size: 0, shown: false });
    expect(notes).toContain(NO_PEERS_NOTE);
    expect(notes).toContain("No return on the subscription: the file gives no account.subscription.");
  });

  it.each([
    ["2026-07-01", "2026-06-29"],
    ["2026-07-05", "2026-06-29"],
    ["2026-07-06", "2026-07-06"],
    ["2027-01-01", "2026-12-28"],
  ])("puts %s in the week of Monday %s", (date, monday) => {
    expect(mondayOf(date)).toBe(monday);
  });
});

describe("the examples", () => {
  it.each(["kide-analytics.fi.json", "aurora-logistics.et.json", "nordlicht-gmbh.de.json"])(
    "%s is a valid file with a full recap and a chart",
    (name) => {
      const text = readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");
      expect(text.length).toBeLessThan(300_000);
      const digest = ok(digestFromUsage(parseUsageFileText(text)).digest);
      expect(digest.facts.length).toBeGreaterThanOrEqual(3);
      expect(digest.facts.every((fact) => fact.previousValue !== null || fact.kind === "roi")).toBe(true);
      expect(digest.chart?.points.length).toBeGreaterThanOrEqual(13);
    },
  );
});

describe("refusing bad files", () => {
  const base = file({ daily: [{ date: "2026-07-01", event: "e", count: 1 }] });

  it.each<[string, (input: UsageFileInput & Record<string, unknown>) => unknown, string, string]>([
    [
      "an unknown time zone",
      (f) => ({ ...f, account: { ...f.account, timeZone: "Mars/Olympus" } }),
      "account.timeZone",
      "IANA",
    ],
    [
      "a lower-case currency",
      (f) => ({ ...f, account: { ...f.account, currency: "eur" } }),
      "account.currency",
      "ISO 4217",
    ],
    [
      "an unknown field",
      (f) => ({ ...f, account: { ...f.account, plan: "pro" } }),
      "account.plan",
      "not a known field",
    ],
    ["a period that is not a quarter", (f) => ({ ...f, period: "2026-Q5" }), "period", "2026-Q3"],
    [
      "a date that does not exist",
      (f) => ({ ...f, daily: [...(f.daily ?? []), { date: "2026-02-30", event: "e", count: 1 }] }),
      "daily[1].date",
      "2026-07-01",
    ],
    [
      "a negative count",
      (f) => ({ ...f, daily: [{ date: "2026-07-01", event: "e", count: -1 }] }),
      "daily[0].count",
      "",
    ],
    [
      "max above sum",
      (f) => ({ ...f, daily: [{ date: "2026-07-01", event: "e", count: 2, sum: 3, max: 4 }] }),
      "daily[0].max",
      "sum",
    ],
    [
      "a time without an offset",
      (f) => ({ ...f, events: [event("2026-07-01T10:00:00")] }),
      "events[0].occurred_at",
      "",
    ],
    [
      "a repeated event_id",
      (f) => ({
        ...f,
        events: [event("2026-07-01T10:00:00Z", { event_id: "x" }), event("2026-07-01T11:00:00Z", { event_id: "x" })],
      }),
      "events[1].event_id",
      "repeats events[0]",
    ],
    ["no usage at all", (f) => ({ ...f, daily: undefined }), "events", "events, daily rows or both"],
    [
      "a distinct metric without its property",
      (f) => ({ ...f, valueModel: [metric("m", { aggregation: "distinct" })] }),
      "valueModel[0].distinctProperty",
      "required",
    ],
    [
      "a repeated metric key",
      (f) => ({ ...f, valueModel: [metric("m"), metric("m")] }),
      "valueModel[1].key",
      "repeats valueModel[0].key",
    ],
    ["a bad metric key", (f) => ({ ...f, valueModel: [metric("Hours Saved")] }), "valueModel[0].key", "lower-case"],
    [
      "a max metric over a day with a sum but no max",
      (f) => ({
        ...f,
        valueModel: [metric("m", { aggregation: "max" })],
        daily: [{ date: "2026-07-01", event: "e", count: 2, sum: 9 }],
      }),
      "daily[0].max",
      "is required",
    ],
    [
      "an unknown theme",
      (f) => ({ ...f, product: { ...f.product, brand: { theme: "neon" } } }),
      "product.brand.theme",
      "",
    ],
  ])("refuses %s, naming %s", (_name, change, path, message) => {
    let error: unknown;
    try {
      parseUsageFile(change(base as UsageFileInput & Record<string, unknown>));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageFileError);
    const found = (error as UsageFileError).errors.find((entry) => entry.path === path);
    expect(found, JSON.stringify((error as UsageFileError).errors)).toBeDefined();
    expect(found?.message).toContain(message);
    expect((error as UsageFileError).message).toContain(`${path}: `);
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseUsageFileText("{ product: ")).toThrow(/the usage file is not valid JSON/);
  });
});

describe("the same events through the server's database", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t?.close());

  it("give the same digest as the usage file", async () => {
    const valueModel: Metric[] = [
      metric("runs", {
        event: "run",
        outcomeKind: "time_saved",
        unit: "minutes",
        multiplier: 6,
        hourlyRate: 45,
        priority: 10,
        labels: { fi: "Automatisoidut ajot", de: "Automatisierte Läufe" },
      }),
      metric("blocked", { event: "check", outcomeKind: "risk_reduced", aggregation: "sum", priority: 20 }),
      metric("largest", { event: "invoice", outcomeKind: "money", unit: "money", aggregation: "max", priority: 30 }),
      metric("typical", {
        event: "invoice",
        outcomeKind: "money",
        unit: "money",
        aggregation: "average",
        priority: 35,
      }),
      metric("people", { event: "login", aggregation: "distinct", distinctProperty: "user", priority: 40 }),
    ];
    // Deterministic events over both quarters and across their edges, in whole and half units.
    const events: Events = [];
    const start = Date.parse("2026-03-31T18:00:00Z");
    for (let index = 0; index < 700; index++) {
      const at = new Date(start + index * 13.3 * 3_600_000 + (index % 7) * 60_000).toISOString();
      const kind = ["run", "run", "run", "check", "invoice", "login", "other"][index % 7] as string;
      events.push({
        event: kind,
        occurred_at: at,
        quantity: kind === "invoice" ? 20 + (index % 11) * 12.5 : kind === "check" ? 1 + (index % 3) : 1,
        ...(kind === "login" ? { properties: { user: `u${index % 13}` } } : {}),
      });
    }
    const account = {
      name: "Parity Oy",
      currency: "EUR",
      timeZone: "Europe/Helsinki",
      subscription: { price: 150, period: "month" as const },
    };
    const parsed = parseUsageFile(file({ events }, { account, valueModel }));
    const fromFile = digestFromUsage(parsed).digest;

    const tenant = await makeTenant(t.deps);
    for (const { key, ...input } of parsed.valueModel ?? []) await upsertMetric(t.deps.db, tenant.id, key, input);
    const { account: stored } = await upsertAccount(t.deps.db, tenant.id, "parity", {
      name: account.name,
      currency: "EUR",
      timeZone: account.timeZone,
      subscriptionPrice: 150,
      subscriptionPeriod: "month",
      consent: { publicRecap: true, peerComparison: false },
    });
    await ingestEvents(
      t.deps,
      tenant.id,
      events.map((entry) => ({ account: "parity", quantity: 1, ...entry })),
      new Date("2026-11-01T00:00:00Z"),
    );
    const fromServer = await computeDigest(t.deps, {
      tenant,
      account: stored,
      quarter: parseQuarter("2026-Q3")!,
      metrics: await loadDigestMetrics(t.deps, tenant.id),
    });
    expect(
      ok(fromFile)
        .facts.map((fact) => fact.id)
        .sort(),
    ).toEqual(["metric:blocked", "metric:largest", "metric:people", "metric:runs", "metric:typical", "roi"]);
    // The tenant's labels per language travel with the fact, from the file and from the database alike.
    const runs = ok(fromServer).facts.find((fact) => fact.id === "metric:runs");
    expect(runs?.labels).toEqual({ fi: "Automatisoidut ajot", de: "Automatisierte Läufe" });
    expect(ok(fromServer).facts.find((fact) => fact.id === "metric:blocked")).not.toHaveProperty("labels");
    expect(fromFile).toEqual(fromServer);
  });

  it("count distinct people at the edges of a quarter in a half-hour zone as the usage file does", async () => {
    // Kolkata is UTC+5:30: 2026-Q3 runs from 2026-06-30T18:30Z to 2026-09-30T18:30Z, so its first
    // and last days are partial UTC days, read from the 15-minute values, the rest from daily ones.
    const login = (occurred_at: string, user: string) => ({ event: "login", occurred_at, properties: { user } });
    const events: Events = [
      login("2026-06-30T18:15:00Z", "before-start"),
      login("2026-06-30T18:45:00Z", "first-day"),
      login("2026-08-15T12:00:00Z", "middle"),
      login("2026-09-30T18:00:00Z", "last-day"),
      login("2026-09-30T18:30:00Z", "after-end"),
      ...Array.from({ length: 24 }, (_, index) =>
        login(new Date(Date.parse("2026-07-03T06:00:00Z") + index * 3 * 86_400_000).toISOString(), "regular"),
      ),
    ];
    const valueModel = [metric("people", { event: "login", aggregation: "distinct", distinctProperty: "user" })];
    const account = { name: "Edge Pvt", currency: "INR", timeZone: "Asia/Kolkata" };
    const parsed = parseUsageFile(file({ events }, { account, valueModel }));
    const fromFile = digestFromUsage(parsed).digest;
    const tenant = await makeTenant(t.deps);
    for (const { key, ...input } of parsed.valueModel ?? []) await upsertMetric(t.deps.db, tenant.id, key, input);
    const { account: stored } = await upsertAccount(t.deps.db, tenant.id, "edge", {
      ...account,
      consent: { publicRecap: true, peerComparison: false },
    });
    await ingestEvents(
      t.deps,
      tenant.id,
      events.map((entry) => ({ account: "edge", quantity: 1, ...entry })),
      new Date("2026-11-01T00:00:00Z"),
    );
    const fromServer = await computeDigest(t.deps, {
      tenant,
      account: stored,
      quarter: parseQuarter("2026-Q3")!,
      metrics: await loadDigestMetrics(t.deps, tenant.id),
    });
    const people = ok(fromServer).facts.find((fact) => fact.id === "metric:people");
    expect([people?.provenance.rawCurrent, people?.provenance.rawPrevious]).toEqual([4, 1]);
    expect(fromServer).toEqual(fromFile);
  });
});
