import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenantWithKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;
const ROUNDS = 20;
const EVENTS_PER_BATCH = 200;

beforeAll(async () => {
  t = await createTestContext({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" } });
  tenant = await makeTenantWithKey(t.deps);
  const created = await call(t.app, "PUT", "/v1/accounts/acme", { key: tenant.key, body: { name: "Acme" } });
  expect(created.status).toBe(201);
});
afterAll(() => t.close());

describe("concurrent event batches", () => {
  it("that share event ids in opposite orders all succeed and store each event once", async () => {
    const occurredAt = new Date().toISOString();
    const statuses: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const events = Array.from({ length: EVENTS_PER_BATCH }, (_, index) => ({
        account: "acme",
        event: "automation.run",
        occurred_at: occurredAt,
        event_id: `r${round}-e${String(index).padStart(4, "0")}`,
      }));
      const [forward, backward] = await Promise.all([
        call(t.app, "POST", "/v1/events", { key: tenant.key, body: { events } }),
        call(t.app, "POST", "/v1/events", { key: tenant.key, body: { events: [...events].reverse() } }),
      ]);
      statuses.push(forward.status, backward.status);
      if (forward.status === 200 && backward.status === 200) {
        expect(forward.body.inserted + backward.body.inserted).toBe(EVENTS_PER_BATCH);
      }
    }
    expect(statuses).toEqual(new Array(ROUNDS * 2).fill(200));
    const [stored] = await t.deps.sql<{ rows: number; ids: number }[]>`
      select count(*)::int as rows, count(distinct event_id)::int as ids
      from usage_events where tenant_id = ${tenant.tenant.id}`;
    expect(stored).toEqual({ rows: ROUNDS * EVENTS_PER_BATCH, ids: ROUNDS * EVENTS_PER_BATCH });
    const [rollup] = await t.deps.sql<{ count: number }[]>`
      select coalesce(sum(count), 0)::int as count from usage_rollups where tenant_id = ${tenant.tenant.id}`;
    expect(rollup?.count).toBe(ROUNDS * EVENTS_PER_BATCH);
  });
});
