import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
const now = new Date();
const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();

beforeAll(async () => {
  t = await createTestContext({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" } });
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  for (const [tenant, id] of [
    [a, "acme"],
    [a, "globex"],
    [b, "initech"],
  ] as const) {
    const response = await call(t.app, "PUT", `/v1/accounts/${id}`, {
      key: tenant.key,
      body: { name: id.toUpperCase(), timeZone: "Europe/Tallinn", segment: "smb" },
    });
    expect(response.status).toBe(201);
  }
});
afterAll(() => t.close());

async function storedEvents(tenantId: string) {
  const [row] = await t.deps.sql<
    { n: number }[]
  >`select count(*)::int as n from usage_events where tenant_id = ${tenantId}`;
  return row?.n ?? 0;
}

describe("accounts", () => {
  it("are created, then replaced, by the tenant's external id", async () => {
    const replaced = await call(t.app, "PUT", "/v1/accounts/acme", {
      key: a.key,
      body: {
        name: "Acme Oy",
        locale: "fi",
        currency: "EUR",
        timeZone: "Europe/Helsinki",
        subscriptionPrice: 1200,
        subscriptionPeriod: "month",
      },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ externalId: "acme", name: "Acme Oy", locale: "fi", subscriptionPrice: 1200 });
    const fetched = await call(t.app, "GET", "/v1/accounts/acme", { key: a.key });
    expect(fetched.body.timeZone).toBe("Europe/Helsinki");
  });

  it("refuse bad fields, each named", async () => {
    const response = await call(t.app, "PUT", "/v1/accounts/bad", {
      key: a.key,
      body: { name: "", timeZone: "Mars/Olympus", locale: "xx", currency: "EURO", seats: -1, subscriptionPrice: 10 },
    });
    const problem = expectProblem(response, 400, "validation_failed");
    const paths = (problem.errors as { path: string }[]).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "timeZone", "locale", "currency", "seats"]));
    expectProblem(await call(t.app, "GET", "/v1/accounts/bad", { key: a.key }), 404, "not_found");
  });

  it("are invisible to another tenant", async () => {
    expectProblem(await call(t.app, "GET", "/v1/accounts/acme", { key: b.key }), 404, "not_found");
    const list = await call(t.app, "GET", "/v1/accounts", { key: b.key });
    expect(list.body.data.map((account: { externalId: string }) => account.externalId)).toEqual(["initech"]);
  });

  it("page by external id", async () => {
    const first = await call(t.app, "GET", "/v1/accounts?limit=1", { key: a.key });
    expect(first.body.data.map((x: { externalId: string }) => x.externalId)).toEqual(["acme"]);
    const second = await call(t.app, "GET", `/v1/accounts?limit=1&after=${first.body.next}`, { key: a.key });
    expect(second.body.data.map((x: { externalId: string }) => x.externalId)).toEqual(["globex"]);
  });
});

describe("POST /v1/events", () => {
  it("stores a JSON batch and skips event ids it has seen", async () => {
    const events = [
      { account: "acme", event: "automation.run", quantity: 3, occurred_at: at(1), event_id: "e-1" },
      { account: "globex", event: "automation.run", occurred_at: at(2), properties: { flow: "invoices" } },
    ];
    const first = await call(t.app, "POST", "/v1/events", { key: a.key, body: { events } });
    expect(first.body).toEqual({ received: 2, inserted: 2, duplicates: 0 });
    const again = await call(t.app, "POST", "/v1/events", { key: a.key, body: { events: [events[0]] } });
    expect(again.body).toEqual({ received: 1, inserted: 0, duplicates: 1 });
  });

  it("stores an NDJSON batch", async () => {
    const lines = [
      JSON.stringify({ account: "acme", event: "report.exported", occurred_at: at(3) }),
      "",
      JSON.stringify({ account: "acme", event: "report.exported", occurred_at: at(4), quantity: 2 }),
    ].join("\n");
    const response = await call(t.app, "POST", "/v1/events", {
      key: a.key,
      rawBody: lines,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(response.body).toEqual({ received: 2, inserted: 2, duplicates: 0 });
  });

  it("answers a batch of another media type with a 415 that names both JSON and NDJSON", async () => {
    const before = await storedEvents(a.tenant.id);
    const kinds: Record<string, string>[] = [{ "content-type": "text/csv" }, {}];
    for (const headers of kinds) {
      const response = await call(t.app, "POST", "/v1/events", { key: a.key, rawBody: "account,event", headers });
      const problem = expectProblem(response, 415, "unsupported_media_type");
      expect(problem.detail).toBe("Send the body as application/json or application/x-ndjson.");
    }
    // Other operations take JSON only, and say so.
    const other = await call(t.app, "PUT", "/v1/accounts/acme", {
      key: a.key,
      rawBody: "name=x",
      headers: { "content-type": "text/plain" },
    });
    expect(expectProblem(other, 415, "unsupported_media_type").detail).toBe("Send the body as application/json.");
    expect(await storedEvents(a.tenant.id)).toBe(before);
  });

  it("refuses the whole batch, listing each bad event by index, and stores nothing", async () => {
    const before = await storedEvents(a.tenant.id);
    const response = await call(t.app, "POST", "/v1/events", {
      key: a.key,
      body: {
        events: [
          { account: "acme", event: "ok", occurred_at: at(1) },
          { account: "acme", event: "ok", occurred_at: at(1), quantity: -1 },
          { account: "nobody", event: "ok", occurred_at: at(1) },
          { account: "acme", event: "ok", occurred_at: "2010-01-01T00:00:00Z" },
          { account: "acme", event: "ok", occurred_at: at(1), event_id: "dup" },
          { account: "acme", event: "ok", occurred_at: at(1), event_id: "dup" },
          { account: "acme", event: "ok", occurred_at: "yesterday" },
          { account: "acme", event: "ok", occurred_at: at(1), colour: "red" },
        ],
      },
    });
    const problem = expectProblem(response, 400, "validation_failed");
    const paths = (problem.errors as { path: string }[]).map((error) => error.path);
    // Schema errors come first; the checks that need the database run on a schema-valid batch.
    expect(paths).toEqual(["events[1].quantity", "events[6].occurred_at", "events[7].colour"]);
    expect(await storedEvents(a.tenant.id)).toBe(before);

    const second = await call(t.app, "POST", "/v1/events", {
      key: a.key,
      body: {
        events: [
          { account: "acme", event: "ok", occurred_at: at(1) },
          { account: "nobody", event: "ok", occurred_at: at(1) },
          { account: "acme", event: "ok", occurred_at: "2010-01-01T00:00:00Z" },
          { account: "acme", event: "ok", occurred_at: at(1), event_id: "dup" },
          { account: "acme", event: "ok", occurred_at: at(1), event_id: "dup" },
        ],
      },
    });
    const problem2 = expectProblem(second, 400, "validation_failed");
    expect((problem2.errors as { path: string }[]).map((error) => error.path)).toEqual([
      "events[1].account",
      "events[2].occurred_at",
      "events[4].event_id",
    ]);
    expect(await storedEvents(a.tenant.id)).toBe(before);
  });

  it("refuses non-finite numbers, empty and oversized batches, and broken NDJSON lines", async () => {
    const nan = await call(t.app, "POST", "/v1/events", {
      key: a.key,
      rawBody: '{"events":[{"account":"acme","event":"x","occurred_at":"2026-01-01T00:00:00Z","quantity":1e999}]}',
      headers: { "content-type": "application/json" },
    });
    expectProblem(nan, 400, "validation_failed");
    expectProblem(
      await call(t.app, "POST", "/v1/events", { key: a.key, body: { events: [] } }),
      400,
      "validation_failed",
    );
    const tooMany = Array.from({ length: 10_001 }, () => ({ account: "acme", event: "x", occurred_at: at(1) }));
    const oversized = await call(t.app, "POST", "/v1/events", { key: a.key, body: { events: tooMany } });
    expect((expectProblem(oversized, 400, "validation_failed").errors as { path: string }[])[0]?.path).toBe("events");
    const broken = await call(t.app, "POST", "/v1/events", {
      key: a.key,
      rawBody: `${JSON.stringify({ account: "acme", event: "x", occurred_at: at(1) })}\n{oops`,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect((expectProblem(broken, 400, "invalid_json").errors as { path: string }[])[0]?.path).toBe("events[1]");
  });

  it("never lets a tenant write to another tenant's account", async () => {
    const before = await storedEvents(b.tenant.id);
    const response = await call(t.app, "POST", "/v1/events", {
      key: b.key,
      body: { events: [{ account: "acme", event: "x", occurred_at: at(1) }] },
    });
    expectProblem(response, 400, "validation_failed");
    expect(await storedEvents(b.tenant.id)).toBe(before);
  });

  it("needs the events:write scope", async () => {
    const reader = await makeTenantWithKey(t.deps, ["recaps:read"]);
    const response = await call(t.app, "POST", "/v1/events", {
      key: reader.key,
      body: { events: [{ account: "acme", event: "x", occurred_at: at(1) }] },
    });
    expectProblem(response, 403, "insufficient_scope");
  });
});
