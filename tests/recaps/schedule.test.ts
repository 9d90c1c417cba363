import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/platform/clock.js";
import { tenants } from "../../src/platform/tenancy/tenancy.schema.js";
import { runQuarterlySchedule } from "../../src/recaps/schedule.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

// Two days after Q3 2026 ended everywhere the demo accounts live.
const clock = fixedClock(new Date("2026-10-03T12:00:00Z"));
let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;

beforeAll(async () => {
  t = await createTestContext({ clock });
  a = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await call(t.app, "PUT", "/v1/accounts/dormant", {
    key: a.key,
    body: { name: "Dormant Oy", timeZone: "Europe/Helsinki" },
  });
});
afterAll(() => t.close());

async function quarterlyCount() {
  const [row] = await t.deps.sql<{ n: number }[]>`
    select count(*)::int as n from recaps where tenant_id = ${a.tenant.id} and kind = 'quarterly' and period = '2026-Q3'`;
  return row?.n ?? 0;
}

describe("the quarterly schedule", () => {
  it("does nothing for a tenant that has not turned it on", async () => {
    const summary = await runQuarterlySchedule(t.deps);
    expect(summary.created).toBe(0);
    expect(await quarterlyCount()).toBe(0);
  });

  it("is turned on through the tenant settings, with the day validated", async () => {
    const bad = await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { recapScheduleDay: 400 } });
    expectProblem(bad, 400, "validation_failed");
    const ok = await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { recapScheduleDay: 1 } });
    expect(ok.body.recapScheduleDay).toBe(1);
  });

  it("waits for the chosen day after the quarter's end in each account's time zone", async () => {
    clock.set(new Date("2026-10-01T12:00:00Z"));
    const early = await runQuarterlySchedule(t.deps);
    expect(early.created).toBe(0);
    expect(early.notDue).toBe(31);
  });

  it("creates each eligible account's recap once, skips accounts without enough usage, and never twice", async () => {
    clock.set(new Date("2026-10-03T12:00:00Z"));
    // Two workers running the schedule at the same moment still create one recap per account.
    const [first, second] = await Promise.all([runQuarterlySchedule(t.deps), runQuarterlySchedule(t.deps)]);
    expect((first?.created ?? 0) + (second?.created ?? 0)).toBe(30);
    expect(await quarterlyCount()).toBe(30);
    const again = await runQuarterlySchedule(t.deps);
    expect(again).toMatchObject({ created: 0, existing: 30, insufficientData: 1 });
    const origins = await t.deps
      .sql`select distinct origin->>'type' as type, state from recaps where tenant_id = ${a.tenant.id}`;
    expect(origins.map((row) => row.type)).toEqual(["schedule"]);
  });

  it("counts a tenant without a value model and goes on with the others' recaps", async () => {
    const empty = await makeTenantWithKey(t.deps);
    await t.deps.db.update(tenants).set({ recapScheduleDay: 1 }).where(eq(tenants.id, empty.tenant.id));
    await call(t.app, "PUT", "/v1/accounts/lonely", {
      key: empty.key,
      body: { name: "Lonely Oy", timeZone: "Europe/Helsinki" },
    });
    clock.set(new Date("2026-10-03T12:00:00Z"));
    const summary = await runQuarterlySchedule(t.deps);
    expect(summary).toMatchObject({ created: 0, existing: 30, insufficientData: 1, noValueModel: 1 });
    await t.deps.db.update(tenants).set({ recapScheduleDay: null }).where(eq(tenants.id, empty.tenant.id));
  });

  it("does not reach back further than the catch-up window", async () => {
    await t.deps.db.update(tenants).set({ recapScheduleDay: 0 }).where(eq(tenants.id, a.tenant.id));
    clock.set(new Date("2026-12-20T12:00:00Z"));
    const late = await runQuarterlySchedule(t.deps);
    expect(late.created).toBe(0);
  });
});
