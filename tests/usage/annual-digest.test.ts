import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tenant } from "../../src/platform/tenancy/tenants.js";
import { type Account, upsertAccount } from "../../src/usage/accounts.js";
import { computeDigest, loadDigestMetrics } from "../../src/usage/compute-digest.js";
import type { Digest, DigestMetric } from "../../src/usage/digest.types.js";
import { ingestEvents } from "../../src/usage/ingestion.js";
import { monthStarts } from "../../src/usage/monthly-chart.js";
import { previousYearRange, type Quarter, yearRange } from "../../src/usage/period.js";
import { upsertMetric } from "../../src/usage/value-model.js";
import { makeTenant } from "../support/factories.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

// Sunday 6 December 2026, 14:00 in Helsinki: the year in review is published before the year ends.
const NOW = new Date("2026-12-06T12:00:00Z");
const HOUR = 3_600_000;

/** Helsinki is UTC+2 in winter: its 2025 runs from 2024-12-31T22:00Z to 2025-12-31T22:00Z. */
const HELSINKI_2025 = { from: Date.parse("2024-12-31T22:00:00Z"), to: Date.parse("2025-12-31T22:00:00Z") };
const HELSINKI_2026 = { from: HELSINKI_2025.to, to: Date.parse("2026-12-31T22:00:00Z") };
/** 23:30 on 31 December 2025 in Helsinki (still 2025 there) and 00:30 on 1 January 2026 (already 2026, though UTC says 2025). */
const LAST_HALF_HOUR_2025 = "2025-12-31T21:30:00Z";
const FIRST_HALF_HOUR_2026 = "2025-12-31T22:30:00Z";

type Event = { event: string; occurred_at: string; quantity: number };

/** Every 41 hours from January 2025 until the day before NOW, plus the two events at the year boundary. */
function usage(from: string): Event[] {
  const events: Event[] = [];
  for (let at = Date.parse(from); at < NOW.getTime() - 24 * HOUR; at += 41 * HOUR) {
    const index = events.length;
    events.push({ event: "run", occurred_at: new Date(at).toISOString(), quantity: 1 + (index % 5) });
  }
  events.push({ event: "run", occurred_at: LAST_HALF_HOUR_2025, quantity: 7 });
  events.push({ event: "run", occurred_at: FIRST_HALF_HOUR_2026, quantity: 9 });
  return events.filter((event) => event.occurred_at >= from);
}

let t: TestContext;
let tenant: Tenant;
let metrics: DigestMetric[];
let veteran: Account;
let newcomer: Account;
let veteranEvents: Event[];

beforeAll(async () => {
  t = await createTestContext();
  tenant = await makeTenant(t.deps);
  const base = { outcomeKind: "adoption", unit: "count", multiplier: 1, higherIsBetter: true } as const;
  await upsertMetric(t.deps.db, tenant.id, "runs", {
    ...base,
    label: "Runs",
    event: "run",
    aggregation: "count",
    priority: 10,
  });
  await upsertMetric(t.deps.db, tenant.id, "items", {
    ...base,
    label: "Items",
    event: "run",
    aggregation: "sum",
    priority: 20,
  });
  await upsertMetric(t.deps.db, tenant.id, "batch", {
    ...base,
    label: "Batch",
    event: "run",
    aggregation: "max",
    priority: 30,
  });
  metrics = await loadDigestMetrics(t.deps, tenant.id);
  const profile = {
    currency: "EUR",
    timeZone: "Europe/Helsinki",
    consent: { publicRecap: true, peerComparison: false },
  };
  veteran = (await upsertAccount(t.deps.db, tenant.id, "veteran", { name: "Veteraani Oy", ...profile })).account;
  newcomer = (await upsertAccount(t.deps.db, tenant.id, "newcomer", { name: "Tulokas Oy", ...profile })).account;
  veteranEvents = usage("2025-01-02T08:00:00Z");
  await ingestEvents(
    t.deps,
    tenant.id,
    veteranEvents.map((event) => ({ account: "veteran", ...event })),
    NOW,
  );
  const newcomerEvents = usage("2026-03-02T08:00:00Z");
  await ingestEvents(
    t.deps,
    tenant.id,
    newcomerEvents.map((event) => ({ account: "newcomer", ...event })),
    NOW,
  );
});
afterAll(() => t?.close());

const okDigest = (digest: Digest) => {
  if (digest.status !== "ok") throw new Error(`expected a digest: ${digest.reasons.join("; ")}`);
  return digest;
};
const raw = (digest: Digest, key: string) => okDigest(digest).facts.find((fact) => fact.metricKey === key)?.provenance;
const year = (account: Account, value: number) =>
  computeDigest(t.deps, { tenant, account, metrics, year: value, now: NOW });
const quarter = (account: Account, value: Quarter) =>
  computeDigest(t.deps, { tenant, account, metrics, quarter: value });

/** Count, sum and max of the events in [from, to), by hand. */
function handTotals(events: Event[], window: { from: number; to: number }) {
  const inside = events.filter((event) => {
    const at = Date.parse(event.occurred_at);
    return at >= window.from && at < window.to;
  });
  return {
    runs: inside.length,
    items: inside.reduce((sum, event) => sum + event.quantity, 0),
    batch: Math.max(...inside.map((event) => event.quantity)),
  };
}

describe("the year in review's digest", () => {
  it("equals the hand-computed sums of its four quarters, with the year boundary read in Helsinki time", async () => {
    const annual = await year(veteran, 2025);
    const quarters = await Promise.all(
      ([1, 2, 3, 4] as const).map((q) => quarter(veteran, { year: 2025, quarter: q })),
    );
    const byHand = handTotals(veteranEvents, HELSINKI_2025);
    expect(raw(annual, "runs")?.rawCurrent).toBe(byHand.runs);
    expect(raw(annual, "items")?.rawCurrent).toBe(byHand.items);
    expect(raw(annual, "batch")?.rawCurrent).toBe(byHand.batch);
    const sumOf = (key: string) => quarters.reduce((sum, digest) => sum + (raw(digest, key)?.rawCurrent ?? 0), 0);
    expect(sumOf("runs")).toBe(byHand.runs);
    expect(sumOf("items")).toBe(byHand.items);
    expect(Math.max(...quarters.map((digest) => raw(digest, "batch")?.rawCurrent ?? 0))).toBe(byHand.batch);
    // The 23:30 event of New Year's Eve is in 2025 (its quantity 7 is in the sum), the 00:30 one is not.
    const withoutBoundary = handTotals(
      veteranEvents.filter((event) => event.occurred_at !== LAST_HALF_HOUR_2025),
      HELSINKI_2025,
    );
    expect(byHand.items - withoutBoundary.items).toBe(7);
    expect(handTotals([{ event: "run", occurred_at: FIRST_HALF_HOUR_2026, quantity: 9 }], HELSINKI_2026).items).toBe(9);
    expect(okDigest(annual).period).toEqual({
      label: "2025",
      start: "2024-12-31T22:00:00.000Z",
      end: "2025-12-31T22:00:00.000Z",
      timeZone: "Europe/Helsinki",
    });
  });

  it("runs to the moment it is computed while the year runs, and says it is the year so far", async () => {
    const annual = okDigest(await year(veteran, 2026));
    expect(annual.period).toMatchObject({ label: "2026", end: NOW.toISOString(), yearToDate: true });
    const quarters = await Promise.all(
      ([1, 2, 3, 4] as const).map((q) => quarter(veteran, { year: 2026, quarter: q })),
    );
    const sum = quarters.reduce((total, digest) => total + (raw(digest, "items")?.rawCurrent ?? 0), 0);
    const byHand = handTotals(veteranEvents, { from: HELSINKI_2026.from, to: NOW.getTime() });
    expect(raw(annual, "items")?.rawCurrent).toBe(byHand.items);
    expect(sum).toBe(byHand.items);
  });

  it("draws the lead metric month by month: the months so far while the year runs, all twelve once it is over", async () => {
    const running = okDigest(await year(veteran, 2026)).chart;
    expect(running?.granularity).toBe("month");
    expect(running?.points.map((point) => point.start)).toEqual(monthStarts(yearRange(2026, "Europe/Helsinki", NOW)));
    expect(running?.points).toHaveLength(12);
    expect(okDigest(await year(veteran, 2025)).chart?.points).toHaveLength(12);
    const november = yearRange(2026, "Europe/Helsinki", new Date("2026-11-15T12:00:00Z"));
    expect(monthStarts(november)).toEqual([
      "2026-01-01",
      "2026-02-01",
      "2026-03-01",
      "2026-04-01",
      "2026-05-01",
      "2026-06-01",
      "2026-07-01",
      "2026-08-01",
      "2026-09-01",
      "2026-10-01",
      "2026-11-01",
    ]);
    // The months make up the year: they add up to a count or sum, and the largest of them is its max.
    const lead = okDigest(await year(veteran, 2026)).facts.find((fact) => fact.metricKey === running?.metricKey);
    const values = running?.points.map((point) => point.value) ?? [];
    const whole = lead?.provenance.aggregation === "max" ? Math.max(...values) : values.reduce((a, b) => a + b, 0);
    expect(whole).toBe(lead?.provenance.rawCurrent);
  });

  it("compares with the same span of last year when last year has data", async () => {
    const annual = okDigest(await year(veteran, 2026));
    const previous = previousYearRange(yearRange(2026, "Europe/Helsinki", NOW));
    expect(previous.end.toISOString()).toBe("2025-12-06T12:00:00.000Z");
    expect(annual.previousPeriod).toMatchObject({ label: "2025", end: "2025-12-06T12:00:00.000Z" });
    const lastYear = handTotals(veteranEvents, { from: HELSINKI_2025.from, to: previous.end.getTime() });
    const thisYear = handTotals(veteranEvents, { from: HELSINKI_2026.from, to: NOW.getTime() });
    const items = annual.facts.find((fact) => fact.metricKey === "items");
    expect(items?.provenance.rawPrevious).toBe(lastYear.items);
    const expected = ((thisYear.items - lastYear.items) / lastYear.items) * 100;
    expect(items?.changePercent).toBeCloseTo(expected, 0);
  });

  it("claims no change when last year has no usage", async () => {
    const annual = okDigest(await year(newcomer, 2026));
    for (const fact of annual.facts) {
      expect(fact.changePercent).toBeNull();
      expect(fact.previousValue).toBeNull();
    }
  });
});
