import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccountByExternalId, upsertAccount } from "../../src/usage/accounts.js";
import { computeDigest, loadDigestMetrics } from "../../src/usage/compute-digest.js";
import { ingestEvents } from "../../src/usage/ingestion.js";
import {
  dropExpiredPartitions,
  ensureMonthPartition,
  partitionName,
  retentionCutoff,
  usagePartitionsJob,
} from "../../src/usage/partitions.js";
import { lastFullQuarter, previousQuarter, quarterRange } from "../../src/usage/period.js";
import { rebuildRollups } from "../../src/usage/rollups.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
const now = new Date();
const ZONE = "Europe/Tallinn";
const monthsAgo = (months: number, day = 10) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, day, 12));

/** Which table each of the tenant's events is stored in, by event id. */
async function partitionsOf(tenantId: string): Promise<Record<string, string>> {
  const rows = await t.deps.sql<{ eventId: string; partition: string }[]>`
    select event_id as "eventId", tableoid::regclass::text as partition from usage_events where tenant_id = ${tenantId}`;
  return Object.fromEntries(rows.map((row) => [row.eventId, row.partition]));
}

const ingest = (events: Parameters<typeof ingestEvents>[2]) => ingestEvents(t.deps, a.tenant.id, events, now);

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, a.tenant.id, key, input);
  await upsertAccount(t.deps.db, a.tenant.id, "acme", {
    name: "Acme",
    timeZone: ZONE,
    consent: { publicRecap: true, peerComparison: true },
  });
});
afterAll(() => t.close());

describe("usage_events partitions", () => {
  it("stores each event in the partition of its UTC month", async () => {
    const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 0, 30));
    const lastMonthsEnd = new Date(thisMonth.getTime() - 60 * 60_000);
    await ingest([
      { account: "acme", event: "automation.run", quantity: 1, occurred_at: thisMonth.toISOString(), event_id: "p-1" },
      {
        account: "acme",
        event: "automation.run",
        quantity: 1,
        occurred_at: lastMonthsEnd.toISOString(),
        event_id: "p-2",
      },
    ]);
    await ensureMonthPartition(t.deps.sql, lastMonthsEnd);
    const stored = await partitionsOf(a.tenant.id);
    expect(stored["p-1"]).toBe(partitionName(thisMonth));
    expect(stored["p-2"]).toBe(partitionName(lastMonthsEnd));
  });

  it("keeps an event of a month without a partition in the default one, and moves it when the month is created", async () => {
    const old = monthsAgo(40);
    const event = { account: "acme", event: "automation.run", quantity: 2, occurred_at: old.toISOString() };
    const first = await ingest([{ ...event, event_id: "old-1" }]);
    expect(first.inserted).toBe(1);
    expect((await partitionsOf(a.tenant.id))["old-1"]).toBe("usage_events_default");
    // The same event sent again is a duplicate there, and after its month's partition exists.
    expect((await ingest([{ ...event, event_id: "old-1" }])).duplicates).toBe(1);
    expect(await ensureMonthPartition(t.deps.sql, old)).toBe(true);
    expect((await partitionsOf(a.tenant.id))["old-1"]).toBe(partitionName(old));
    expect((await ingest([{ ...event, event_id: "old-1" }])).duplicates).toBe(1);
    expect(await ensureMonthPartition(t.deps.sql, old)).toBe(false);
  });

  it("accepts events over the API whatever month they fall in", async () => {
    const response = await call(t.app, "POST", "/v1/events", {
      key: a.key,
      body: { events: [{ account: "acme", event: "automation.run", occurred_at: monthsAgo(50).toISOString() }] },
    });
    expect(response.body).toEqual({ received: 1, inserted: 1, duplicates: 0 });
  });

  it("drops whole months past the retention, keeps newer events, and leaves the digest of newer quarters unchanged", async () => {
    const quarter = lastFullQuarter(now, ZONE);
    const range = quarterRange(quarter, ZONE);
    const previous = quarterRange(previousQuarter(quarter), ZONE);
    const spread = (start: Date, end: Date, count: number, prefix: string) =>
      Array.from({ length: count }, (_, index) => ({
        account: "acme",
        event: DEFAULT_VALUE_MODEL[index % DEFAULT_VALUE_MODEL.length]?.input.event as string,
        quantity: 1 + (index % 3),
        occurred_at: new Date(
          start.getTime() + Math.floor(((index + 0.5) / count) * (end.getTime() - start.getTime())),
        ).toISOString(),
        event_id: `${prefix}-${index}`,
        properties: { user_id: `u${index % 7}` },
      }));
    const old = monthsAgo(12);
    await ensureMonthPartition(t.deps.sql, old);
    await ingest([
      ...spread(previous.start, previous.end, 60, "previous"),
      ...spread(range.start, range.end, 90, "current"),
      ...spread(old, new Date(old.getTime() + 5 * 86_400_000), 20, "expired"),
    ]);
    const account = await getAccountByExternalId(t.deps.db, a.tenant.id, "acme");
    const metrics = await loadDigestMetrics(t.deps, a.tenant.id);
    const digest = () => computeDigest(t.deps, { tenant: a.tenant, account, quarter, metrics });
    const before = await digest();
    expect(before.status).toBe("ok");

    // Nine months keep the last full quarter and the one before it (their UTC months start later).
    const deps = { ...t.deps, config: { ...t.deps.config, usageRetentionMonths: 9 } };
    await usagePartitionsJob(deps).handle({}, {} as never);
    const cutoff = retentionCutoff(now, 9) as Date;
    const names = await t.deps.sql<{ name: string }[]>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'usage_events'::regclass`;
    expect(names.map((row) => row.name)).not.toContain(partitionName(old));
    expect(names.map((row) => row.name)).toContain(partitionName(now));
    const [left] = await t.deps.sql<{ expired: number; kept: number; older: number }[]>`
      select count(*) filter (where event_id like 'expired-%')::int as expired,
             count(*) filter (where event_id like 'current-%' or event_id like 'previous-%')::int as kept,
             count(*) filter (where occurred_at < ${cutoff.toISOString()}::timestamptz)::int as older
      from usage_events where tenant_id = ${a.tenant.id}`;
    expect(left).toEqual({ expired: 0, kept: 150, older: 0 });
    expect(await digest()).toEqual(before);
    // A rebuild after retention keeps the rollups of the months whose events are gone.
    const [rolled] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from usage_rollups where account_id = ${account.id} and bucket < ${cutoff.toISOString()}::timestamptz`;
    await rebuildRollups(deps, a.tenant.id);
    const [kept] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from usage_rollups where account_id = ${account.id} and bucket < ${cutoff.toISOString()}::timestamptz`;
    expect(kept?.n).toBe(rolled?.n);
    expect(rolled?.n).toBeGreaterThan(0);
    expect(await digest()).toEqual(before);
    expect(await dropExpiredPartitions(t.deps.sql, cutoff)).toEqual([]);
  });
});
