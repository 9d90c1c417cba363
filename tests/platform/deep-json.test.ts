import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonNestsDeeperThan, MAX_BODY_DEPTH } from "../../src/platform/http/json-depth.js";
import { MAX_PROPERTIES_DEPTH } from "../../src/usage/event-input.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;

/** `{"a":{"a":…{"a":1}…}}` with `levels` objects, built as text: building it as a value and stringifying would overflow. */
const nestedText = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const nested = (levels: number): unknown => JSON.parse(nestedText(levels));
const eventWith = (properties: string) =>
  `{"account":"acme","event":"automation.run","occurred_at":"${new Date().toISOString()}","properties":${properties}}`;

beforeAll(async () => {
  t = await createTestContext({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" } });
  tenant = await makeTenantWithKey(t.deps);
  const created = await call(t.app, "PUT", "/v1/accounts/acme", { key: tenant.key, body: { name: "Acme" } });
  expect(created.status).toBe(201);
});
afterAll(() => t.close());

async function storedEvents() {
  const [row] = await t.deps.sql<{ n: number }[]>`
    select count(*)::int as n from usage_events where tenant_id = ${tenant.tenant.id}`;
  return row?.n;
}

describe("deeply nested JSON", () => {
  it("in event properties 100,000 levels deep is refused with a 400 and nothing is stored", async () => {
    const json = await call(t.app, "POST", "/v1/events", {
      key: tenant.key,
      rawBody: `{"events":[${eventWith(nestedText(100_000))}]}`,
      headers: { "content-type": "application/json" },
    });
    expectProblem(json, 400, "validation_failed");
    const ndjson = await call(t.app, "POST", "/v1/events", {
      key: tenant.key,
      rawBody: eventWith(nestedText(100_000)),
      headers: { "content-type": "application/x-ndjson" },
    });
    expectProblem(ndjson, 400, "validation_failed");
    expect(await storedEvents()).toBe(0);
  });

  it("in event properties is refused past the properties' own depth limit, naming the field", async () => {
    const tooDeep = await call(t.app, "POST", "/v1/events", {
      key: tenant.key,
      rawBody: `{"events":[${eventWith(nestedText(MAX_PROPERTIES_DEPTH + 1))}]}`,
      headers: { "content-type": "application/json" },
    });
    const problem = expectProblem(tooDeep, 400, "validation_failed");
    expect(problem.errors).toEqual([
      { path: "events[0].properties", message: `may nest at most ${MAX_PROPERTIES_DEPTH} levels deep` },
    ]);
    expect(await storedEvents()).toBe(0);

    const deepest = await call(t.app, "POST", "/v1/events", {
      key: tenant.key,
      rawBody: `{"events":[${eventWith(nestedText(MAX_PROPERTIES_DEPTH))}]}`,
      headers: { "content-type": "application/json" },
    });
    expect(deepest.status).toBe(200);
    expect(await storedEvents()).toBe(1);
  });

  it("counts brackets inside strings as text, not as nesting", async () => {
    const response = await call(t.app, "POST", "/v1/events", {
      key: tenant.key,
      rawBody: `{"events":[${eventWith(JSON.stringify({ note: `${"[{".repeat(200)}"` }))}]}`,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(200);
  });

  it("is refused with a 400, never a 500, by every operation that takes a body", async () => {
    const operations = t.app.routes.filter((route) => ["POST", "PUT", "PATCH"].includes(route.method));
    expect(operations.length).toBeGreaterThan(10);
    const body = JSON.stringify({ name: nested(MAX_BODY_DEPTH + 1) }).replace(/"a":1/, `"a":${nestedText(100_000)}`);
    for (const route of operations) {
      const path = route.path.replace(/:\w+/g, "x").replace(/\{\w+\}/g, "x");
      const response = await call(t.app, route.method, path, {
        key: tenant.key,
        rawBody: body,
        headers: { "content-type": "application/json" },
      });
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 400,
      });
    }
  });
});

describe("the nesting scan", () => {
  const deeper = (text: string, limit: number) => jsonNestsDeeperThan(new TextEncoder().encode(text), limit);

  it("counts objects and arrays outside strings, whatever the strings hold", () => {
    expect(deeper('[{"a":[1]}]', 3)).toBe(false);
    expect(deeper('[{"a":[[1]]}]', 3)).toBe(true);
    expect(deeper('{"a":"[[[[{{{{"}', 1)).toBe(false);
    // An escaped quote does not end the string; an escaped backslash before a quote does.
    expect(deeper('{"a":"\\"[[[["}', 1)).toBe(false);
    expect(deeper('{"a":"\\\\",  "b":[[1]]}', 2)).toBe(true);
    expect(deeper('{"a":1}\n{"b":{"c":1}}', 1)).toBe(true);
  });
});
