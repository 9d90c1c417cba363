import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/platform/clock.js";
import { getTenant } from "../../src/platform/tenancy/tenants.js";
import { createQuarterlyRecaps } from "../../src/recaps/generate.js";
import { runQuarterlySchedule } from "../../src/recaps/schedule.js";
import { loadDigestMetrics } from "../../src/usage/compute-digest.js";
import { lastFullQuarter } from "../../src/usage/period.js";
import { rebuildRollups } from "../../src/usage/rollups.js";
import { accounts } from "../../src/usage/usage.schema.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { makeTenant, makeTenantWithKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { jobsSettled } from "../support/jobs.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/**
 * The quarterly close in small: three tenants of 40 accounts, the schedule fired twice at once,
 * then the draft jobs run. (bench/quarter-close.bench.ts is the same day at 10,000 accounts.)
 */
const TENANTS = 3;
const ACCOUNTS = 40;
// Two days after Q3 2026 ended; every account keeps UTC time.
const clock = fixedClock(new Date("2026-10-03T12:00:00Z"));
let t: TestContext;
const tenantIds: string[] = [];
/** A tenant without the schedule, whose one recap is asked for through the API during the close. */
let asking: Awaited<ReturnType<typeof makeTenantWithKey>>;

/** 60 events per account of the tenant over Q2 and Q3, on different days, in work hours. */
async function seedUsage(tenantId: string) {
  for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, tenantId, key, input);
  await t.deps.sql`
    insert into usage_events (tenant_id, account_id, event, quantity, occurred_at, properties)
    select a.tenant_id, a.id, (array['automation.run', 'validation.blocked', 'user.active'])[1 + g % 3], 1 + g % 5,
           '2026-04-01T09:00:00Z'::timestamptz + (g * 3 % 180) * interval '1 day' + (g % 8) * interval '1 hour',
           jsonb_build_object('user_id', 'u' || (g % 6))
    from accounts a cross join generate_series(1, 60) g
    where a.tenant_id = ${tenantId}`;
  await rebuildRollups(t.deps, tenantId);
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  for (let index = 0; index < TENANTS; index++) {
    const tenant = await makeTenant(t.deps, { recapScheduleDay: 1 });
    tenantIds.push(tenant.id);
    await t.deps.sql`
      insert into accounts (tenant_id, external_id, name, time_zone, segment, consent)
      select ${tenant.id}, 'acct-' || n, 'Customer ' || n, 'UTC', 'growth',
             '{"publicRecap": true, "peerComparison": true}'::jsonb
      from generate_series(1, ${ACCOUNTS}::int) n`;
    await seedUsage(tenant.id);
  }
  asking = await makeTenantWithKey(t.deps);
  const put = await call(t.app, "PUT", "/v1/accounts/harbor", {
    key: asking.key,
    body: { name: "Harbor Oy", timeZone: "UTC" },
  });
  expect(put.status).toBeLessThan(300);
  await seedUsage(asking.tenant.id);
});
afterAll(() => t.close());

describe("the quarterly close for several tenants", () => {
  it("creates every recap once when the schedule fires twice at the same moment", async () => {
    const [first, second] = await Promise.all([runQuarterlySchedule(t.deps), runQuarterlySchedule(t.deps)]);
    expect((first?.created ?? 0) + (second?.created ?? 0)).toBe(TENANTS * ACCOUNTS);
    const perAccount = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from recaps where tenant_id = any(${tenantIds}) group by account_id`;
    expect(perAccount).toHaveLength(TENANTS * ACCOUNTS);
    expect(perAccount.every((row) => row.n === 1)).toBe(true);
    // One draft job per recap: the losing insert of the race enqueued nothing.
    const [jobs] = await t.deps.sql<{ jobs: number; recaps: number }[]>`
      select count(*)::int as jobs, count(distinct data->>'recapId')::int as recaps
      from pgboss.job where name = 'recap.draft'`;
    expect(jobs).toEqual({ jobs: TENANTS * ACCOUNTS, recaps: TENANTS * ACCOUNTS });
    // Someone asks for a recap while the close's drafts wait.
    const asked = await call(t.app, "POST", "/v1/recaps", { key: asking.key, body: { account: "harbor" } });
    expect(asked.status).toBe(202);
  });

  it("settles a batch's account whose recap another process made meanwhile as existing, and enqueues nothing for it", async () => {
    const tenant = await getTenant(t.deps.db, asking.tenant.id);
    const [harbor] = await t.deps.db.select().from(accounts).where(eq(accounts.tenantId, tenant.id));
    if (!harbor) throw new Error("no account");
    const quarter = lastFullQuarter(clock.now(), "UTC");
    const outcomes = await createQuarterlyRecaps(t.deps, [
      {
        tenant,
        account: harbor,
        quarter,
        locale: "en",
        metrics: await loadDigestMetrics(t.deps, tenant.id),
        peerCache: new Map(),
        priority: -1,
      },
    ]);
    // The API's recap of the same quarter (above) won the unique index.
    expect(outcomes).toEqual(["exists"]);
    const [row] = await t.deps.sql<{ recaps: number; jobs: number }[]>`
      select (select count(*)::int from recaps where account_id = ${harbor.id}) as recaps,
             (select count(*)::int from pgboss.job j join recaps r on r.id::text = j.data->>'recapId'
               where j.name = 'recap.draft' and r.account_id = ${harbor.id}) as jobs`;
    expect(row).toEqual({ recaps: 1, jobs: 1 });
  });

  it("drafts every recap exactly once, the tenants taking turns instead of one after another", async () => {
    await t.startWorkers();
    await jobsSettled(t.deps.sql, ["recap.draft"], 60_000);
    const states = await t.deps.sql<{ state: string; n: number }[]>`
      select state, count(*)::int as n from recaps where tenant_id = any(${tenantIds}) group by state`;
    expect(states).toEqual([{ state: "pending_review", n: TENANTS * ACCOUNTS }]);
    const drafted = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from recap_events
      where tenant_id = any(${tenantIds}) and action = 'draft_completed' group by recap_id`;
    expect(drafted).toHaveLength(TENANTS * ACCOUNTS);
    expect(drafted.every((row) => row.n === 1)).toBe(true);

    // The schedule made the first tenant's 40 recaps before the second's: first come, first
    // served would draft all of them first. Round-robin gives each tenant a third of any stretch.
    const order = await t.deps.sql<{ tenantId: string }[]>`
      select data->>'tenantId' as "tenantId" from pgboss.job
      where name = 'recap.draft' and data->>'tenantId' = any(${tenantIds}) order by started_on, completed_on, id`;
    const firstStretch = order.slice(0, ACCOUNTS).map((row) => row.tenantId);
    for (const tenantId of tenantIds) {
      const share = firstStretch.filter((id) => id === tenantId).length;
      expect(share).toBeGreaterThanOrEqual(ACCOUNTS / TENANTS - 4);
      expect(share).toBeLessThanOrEqual(ACCOUNTS / TENANTS + 4);
    }
  });

  it("drafts a recap someone asked for through the API before the close's backlog", async () => {
    // Jobs fetched together share a start: it was in the first fetch, though enqueued last.
    const [asked] = await t.deps.sql<{ priority: number; first: boolean }[]>`
      select priority, started_on = (select min(started_on) from pgboss.job where name = 'recap.draft') as first
      from pgboss.job where name = 'recap.draft' and data->>'tenantId' = ${asking.tenant.id}`;
    expect(asked).toEqual({ priority: 0, first: true });
  });
});
