import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendThroughSegment as readmeExample } from "../../examples/segment-integration.js";
import { revokeApiKey } from "../../src/platform/tenancy/api-keys.js";
import type { Tenant } from "../../src/platform/tenancy/tenants.js";
import { getAccountByExternalId } from "../../src/usage/accounts.js";
import { computeDigest, loadDigestMetrics } from "../../src/usage/compute-digest.js";
import { lastFullQuarter } from "../../src/usage/period.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { makeApiKey, makeTenant } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";
import { basic, FirstAnswerLost, type Pair, quarterOfTracks, SEGMENT_PATH, segmentClient } from "./segment-support.js";

let t: TestContext;
let server: { url: string; close(): Promise<void> };
/** A sends through Segment, C the same events through POST /v1/events; B is the other tenant. */
let a: { tenant: Tenant; key: string };
let b: { tenant: Tenant; key: string };
let c: { tenant: Tenant; key: string };

const storedEvents = async (tenantId: string, account?: string) =>
  (
    await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from usage_events e join accounts a on a.id = e.account_id
      where e.tenant_id = ${tenantId} and (${account ?? null}::text is null or a.external_id = ${account ?? null})`
  )[0]?.n ?? 0;

/** POST to a Segment route over the real socket. */
async function post(path: string, authorization: string | undefined, body: unknown) {
  const response = await fetch(`${server.url}${SEGMENT_PATH}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of every shape
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as any };
}

/** Sends tracks with the real client and flushes them the way a service does on shutdown. */
async function sendThroughSegment(key: string, pairs: Pair[], httpClient?: FirstAnswerLost) {
  const analytics = segmentClient(server.url, key, httpClient ? { httpClient } : {});
  const failures: unknown[] = [];
  analytics.on("error", (error) => failures.push(error));
  for (const { track } of pairs) analytics.track(track);
  await analytics.closeAndFlush({ timeout: 60_000 });
  return failures;
}

beforeAll(async () => {
  t = await createTestContext();
  server = await listen(t.app);
  const tenantWithKey = async () => {
    // The same name for every tenant, so the digests of A and C can be compared whole.
    const tenant = await makeTenant(t.deps, { name: "Segment Test Tenant" });
    for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, tenant.id, key, input);
    return { tenant, key: (await makeApiKey(t.deps, tenant.id, ["events:write", "accounts:write"])).key };
  };
  a = await tenantWithKey();
  b = await tenantWithKey();
  c = await tenantWithKey();
}, 120_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe("Segment's own client against the started service", () => {
  const account = "kide-analytics";
  let pairs: Pair[];

  beforeAll(() => {
    pairs = quarterOfTracks(account, "user-1", 10_000, t.deps.clock.now());
  });

  it("creates the account from a group call with traits, and maps the user to it", async () => {
    const analytics = segmentClient(server.url, a.key);
    analytics.group({
      userId: "user-1",
      groupId: account,
      traits: { name: "Kide Analytics Oy", locale: "fi-FI", currency: "eur", timezone: "Europe/Helsinki" },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    const stored = await getAccountByExternalId(t.deps.db, a.tenant.id, account);
    expect(stored).toMatchObject({
      name: "Kide Analytics Oy",
      locale: "fi",
      currency: "EUR",
      timeZone: "Europe/Helsinki",
    });
  });

  it("stores 10,000 tracks flushed on shutdown, a first batch whose answer was lost only once", async () => {
    const httpClient = new FirstAnswerLost();
    const failures = await sendThroughSegment(a.key, pairs, httpClient);
    expect(failures).toEqual([]);
    expect(httpClient.lost).toBe(1);
    // 10,000 events of ~300 bytes need at least 20 batches under 480 KB, plus the resent one.
    expect(httpClient.requests).toBeGreaterThanOrEqual(21);
    expect(await storedEvents(a.tenant.id, account)).toBe(10_000);
  }, 120_000);

  it("counts the same messages sent again as duplicates and stores nothing new", async () => {
    const failures = await sendThroughSegment(a.key, pairs.slice(0, 1_000));
    expect(failures).toEqual([]);
    expect(await storedEvents(a.tenant.id, account)).toBe(10_000);
    const again = await post("/batch", basic(a.key), {
      batch: pairs.slice(0, 3).map(({ track }) => ({ type: "track", ...track })),
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ success: true, received: 3, inserted: 0, duplicates: 3, rejected: [] });
  }, 60_000);

  it("yields the same digest as the same events sent through POST /v1/events", async () => {
    const created = await call(t.app, "PUT", `/v1/accounts/${account}`, {
      key: (await makeApiKey(t.deps, c.tenant.id, ["accounts:write", "events:write"])).key,
      body: { name: "Kide Analytics Oy", locale: "fi", currency: "EUR", timeZone: "Europe/Helsinki" },
    });
    expect(created.status, created.text).toBe(201);
    const events = pairs.map(({ event }) => event);
    const ingested = await call(t.app, "POST", "/v1/events", { key: c.key, body: { events } });
    expect(ingested.status, ingested.text).toBe(200);

    const digestOf = async (tenant: Tenant) =>
      computeDigest(t.deps, {
        tenant,
        account: await getAccountByExternalId(t.deps.db, tenant.id, account),
        quarter: lastFullQuarter(t.deps.clock.now(), "Europe/Helsinki"),
        metrics: await loadDigestMetrics(t.deps, tenant.id),
      });
    const viaSegment = await digestOf(a.tenant);
    const viaApi = await digestOf(c.tenant);
    expect(viaSegment.status).toBe("ok");
    expect(JSON.parse(JSON.stringify(viaSegment).replaceAll(a.tenant.id, "T"))).toEqual(
      JSON.parse(JSON.stringify(viaApi).replaceAll(c.tenant.id, "T")),
    );
  }, 60_000);
});

describe("POST /integrations/segment/v1/*", () => {
  it("stores a single track with its event name as given, originalTimestamp and a default quantity of 1", async () => {
    const occurred = new Date(t.deps.clock.now().getTime() - 3_600_000).toISOString();
    const sent = await post("/track", basic(a.key), {
      userId: "user-1",
      event: "Report Exported",
      messageId: "single-1",
      originalTimestamp: occurred,
      properties: { quantity: "three" },
    });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ success: true, received: 1, inserted: 1, rejected: [] });
    const [row] = await t.deps.sql<{ event: string; quantity: number; occurred_at: Date }[]>`
      select event, quantity, occurred_at from usage_events where tenant_id = ${a.tenant.id} and event_id = 'single-1'`;
    expect(row).toMatchObject({ event: "Report Exported", quantity: 1 });
    expect(new Date(row?.occurred_at ?? 0).toISOString()).toBe(occurred);
  });

  it("reports tracks for unknown or missing accounts and an oversized message without failing the batch", async () => {
    const now = t.deps.clock.now().toISOString();
    const track = (messageId: string, extra: Record<string, unknown>) => ({
      type: "track",
      event: "automation.run",
      messageId,
      timestamp: now,
      ...extra,
    });
    const sent = await post("/batch", basic(a.key), {
      batch: [
        track("mixed-0", { userId: "user-1" }),
        track("mixed-1", { userId: "user-1", context: { groupId: "nobody-here" } }),
        track("mixed-2", { userId: "user-1", properties: { padding: "x".repeat(40_000) } }),
        track("mixed-3", { anonymousId: "anon-7" }),
        { type: "page", userId: "user-1", name: "Home" },
        track("mixed-0", { userId: "user-1" }),
      ],
    });
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ received: 6, inserted: 1, duplicates: 1, ignored: 1, rejectedCount: 3 });
    expect(sent.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, "unknown_account"],
      [2, "message_too_large"],
      [3, "no_account"],
    ]);
  });

  it("refuses a single message over 32 KB and a batch over 500 KB with 400, as Segment does, storing nothing", async () => {
    const before = await storedEvents(a.tenant.id);
    const big = await post("/track", basic(a.key), {
      userId: "user-1",
      event: "automation.run",
      properties: { padding: "x".repeat(33 * 1024) },
    });
    expectProblem(big, 400, "payload_too_large");
    const batch = Array.from({ length: 20 }, (_, i) => ({
      type: "track",
      userId: "user-1",
      event: "automation.run",
      messageId: `huge-${i}`,
      properties: { padding: "x".repeat(30 * 1024) },
    }));
    const huge = await post("/batch", basic(a.key), { batch });
    expectProblem(huge, 400, "payload_too_large");
    expect(await storedEvents(a.tenant.id)).toBe(before);
  });

  it("answers bad JSON with a 400 problem", async () => {
    expectProblem(await post("/batch", basic(a.key), "{not json"), 400, "invalid_json");
  });

  it("answers a missing, malformed, wrong or revoked write key, or a password, with 401 problem+json", async () => {
    const message = { userId: "user-1", event: "automation.run" };
    const revoked = await makeApiKey(t.deps, a.tenant.id, ["events:write"]);
    await revokeApiKey(t.deps.db, a.tenant.id, revoked.record.id);
    for (const authorization of [
      undefined,
      basic(revoked.key),
      `Bearer ${a.key}`,
      "Basic !!!",
      basic("ork_unknown"),
      basic(a.key, "secret"),
    ]) {
      const refused = await post("/track", authorization, message);
      expectProblem(refused, 401, "unauthorized");
      expect(refused.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
  });

  it("answers a key without events:write with 403 and lets only accounts:write keys change accounts", async () => {
    const readOnly = (await makeApiKey(t.deps, a.tenant.id, ["recaps:read"])).key;
    expectProblem(await post("/track", basic(readOnly), { userId: "u", event: "e" }), 403, "insufficient_scope");
    const eventsOnly = (await makeApiKey(t.deps, a.tenant.id, ["events:write"])).key;
    const group = await post("/group", basic(eventsOnly), {
      userId: "user-9",
      groupId: "kide-analytics",
      traits: { name: "Renamed" },
    });
    expect(group.status, group.text).toBe(200);
    expect(group.body.warnings).toMatchObject([{ code: "needs_accounts_scope" }]);
    expect((await getAccountByExternalId(t.deps.db, a.tenant.id, "kide-analytics")).name).toBe("Kide Analytics Oy");
  });

  it("updates only the traits given, and leaves invalid ones out with a warning", async () => {
    const group = await post("/group", basic(a.key), {
      userId: "user-2",
      groupId: "kide-analytics",
      traits: { locale: "fr", timezone: "Europe/Tallinn", employees: 40 },
    });
    expect(group.status, group.text).toBe(200);
    expect(group.body).toMatchObject({ accountsUpdated: 1, accountsCreated: 0 });
    expect(group.body.warnings).toMatchObject([{ code: "invalid_trait", reason: expect.stringContaining("fr") }]);
    const stored = await getAccountByExternalId(t.deps.db, a.tenant.id, "kide-analytics");
    expect(stored).toMatchObject({
      name: "Kide Analytics Oy",
      locale: "fi",
      currency: "EUR",
      timeZone: "Europe/Tallinn",
    });
  });

  it("keeps a user's newer group when an older group call arrives late", async () => {
    const at = (hoursAgo: number) => new Date(t.deps.clock.now().getTime() - hoursAgo * 3_600_000).toISOString();
    for (const [groupId, name] of [
      ["newer-oy", "Newer Oy"],
      ["older-oy", "Older Oy"],
    ]) {
      await post("/group", basic(a.key), { groupId, traits: { name } });
    }
    await post("/group", basic(a.key), { userId: "mover", groupId: "newer-oy", timestamp: at(1) });
    await post("/group", basic(a.key), { userId: "mover", groupId: "older-oy", timestamp: at(2) });
    const tracked = await post("/track", basic(a.key), {
      userId: "mover",
      event: "automation.run",
      messageId: "mover-1",
    });
    expect(tracked.body).toMatchObject({ inserted: 1, rejected: [] });
    expect(await storedEvents(a.tenant.id, "newer-oy")).toBe(1);
    expect(await storedEvents(a.tenant.id, "older-oy")).toBe(0);
  });

  it("maps a user named in an identify call, so their tracks find the account", async () => {
    const identified = await post("/identify", basic(a.key), {
      userId: "user-3",
      traits: { account_id: "kide-analytics" },
    });
    expect(identified.status, identified.text).toBe(200);
    const tracked = await post("/track", basic(a.key), {
      userId: "user-3",
      event: "automation.run",
      messageId: "identified-1",
    });
    expect(tracked.body).toMatchObject({ inserted: 1, rejected: [] });
  });
});

describe("another tenant's write key", () => {
  it("never writes tenant A's accounts: its tracks are unknown accounts and its group creates its own", async () => {
    const before = await storedEvents(a.tenant.id);
    const now = t.deps.clock.now().toISOString();
    const sent = await post("/batch", basic(b.key), {
      batch: [
        { type: "group", userId: "user-1", groupId: "kide-analytics", traits: { name: "B's own Kide" } },
        {
          type: "track",
          userId: "intruder",
          event: "automation.run",
          timestamp: now,
          context: { groupId: "kide-analytics" },
        },
        { type: "track", userId: "user-1", event: "automation.run", timestamp: now, messageId: "b-1" },
      ],
    });
    expect(sent.status, sent.text).toBe(200);
    // B's group call created B's own "kide-analytics", so B's tracks land there, never in A's.
    expect(sent.body).toMatchObject({ accountsCreated: 1, inserted: 2 });
    expect(await storedEvents(a.tenant.id)).toBe(before);
    expect((await getAccountByExternalId(t.deps.db, a.tenant.id, "kide-analytics")).name).toBe("Kide Analytics Oy");
    expect((await getAccountByExternalId(t.deps.db, b.tenant.id, "kide-analytics")).name).toBe("B's own Kide");
    // A's user mapping is A's: B's "user-1" maps to B's account, A's still to A's.
    const aTrack = await post("/track", basic(a.key), {
      userId: "user-1",
      event: "automation.run",
      messageId: "a-after-b",
    });
    expect(aTrack.body).toMatchObject({ inserted: 1 });
    expect(await storedEvents(a.tenant.id)).toBe(before + 1);
  });

  it("reports a track for an account only tenant A has as unknown", async () => {
    const sent = await post("/track", basic(b.key), {
      userId: "x",
      event: "automation.run",
      properties: { account_id: "only-in-a" },
    });
    await call(t.app, "PUT", "/v1/accounts/only-in-a", { key: a.key, body: { name: "Only in A" } });
    const again = await post("/track", basic(b.key), {
      userId: "x",
      event: "automation.run",
      properties: { account_id: "only-in-a" },
    });
    expect(sent.body.rejected).toMatchObject([{ code: "unknown_account" }]);
    expect(again.body.rejected).toMatchObject([{ code: "unknown_account" }]);
    expect(await storedEvents(a.tenant.id, "only-in-a")).toBe(0);
  });
});

describe("erasing an account", () => {
  it("forgets which Segment users belonged to it", async () => {
    const tenant = await makeTenant(t.deps);
    const { key } = await makeApiKey(t.deps, tenant.id, ["events:write", "accounts:write"]);
    const grouped = await post("/group", basic(key), {
      userId: "leaver",
      groupId: "gone-oy",
      traits: { name: "Gone Oy" },
    });
    expect(grouped.body).toMatchObject({ accountsCreated: 1 });
    const erased = await call(t.app, "POST", "/v1/accounts/gone-oy/erasure", { key });
    expect(erased.status, erased.text).toBe(200);
    const mappings = await t.deps.sql`select 1 from segment_user_accounts where tenant_id = ${tenant.id}`;
    expect(mappings).toHaveLength(0);
    const track = await post("/track", basic(key), { userId: "leaver", event: "automation.run" });
    expect(track.body.rejected).toMatchObject([{ code: "no_account" }]);
  });
});

describe("the README's Segment example", () => {
  const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

  it("is examples/segment-integration.ts word for word", () => {
    const example = read("examples/segment-integration.ts").split("\n").slice(1).join("\n").trim();
    expect(read("README.md")).toContain(example);
  });

  it("creates the account and stores the event on a started service", async () => {
    const tenant = await makeTenant(t.deps);
    const { key } = await makeApiKey(t.deps, tenant.id, ["events:write", "accounts:write"]);
    await readmeExample(server.url, key);
    expect(await getAccountByExternalId(t.deps.db, tenant.id, "kide-analytics")).toMatchObject({
      name: "Kide Analytics Oy",
      locale: "fi",
      timeZone: "Europe/Helsinki",
    });
    const rows = await t.deps.sql<{ event: string; quantity: number }[]>`
      select event, quantity from usage_events where tenant_id = ${tenant.id}`;
    expect(rows).toEqual([{ event: "Report Exported", quantity: 3 }]);
  });
});
