import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys } from "../../src/platform/idempotency/idempotency.schema.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function keyCount(tenantId: string) {
  const [row] = await t.deps.sql<
    { n: number }[]
  >`select count(*)::int as n from api_keys where tenant_id = ${tenantId}`;
  return row?.n ?? 0;
}

describe("Idempotency-Key on POST", () => {
  it("replays the stored response for the same key and body, with one effect", async () => {
    const { tenant, key } = await makeTenantWithKey(t.deps, ["admin"]);
    const before = await keyCount(tenant.id);
    const request = { key, body: { name: "backend", scopes: ["recaps:read"] }, headers: { "idempotency-key": "k-1" } };
    const first = await call(t.app, "POST", "/v1/api-keys", request);
    const second = await call(t.app, "POST", "/v1/api-keys", request);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(await keyCount(tenant.id)).toBe(before + 1);
  });

  it("refuses the same key with a different body with 422 and changes nothing", async () => {
    const { tenant, key } = await makeTenantWithKey(t.deps, ["admin"]);
    const headers = { "idempotency-key": "k-2" };
    await call(t.app, "POST", "/v1/api-keys", { key, headers, body: { name: "a", scopes: ["recaps:read"] } });
    const count = await keyCount(tenant.id);
    const reused = await call(t.app, "POST", "/v1/api-keys", {
      key,
      headers,
      body: { name: "b", scopes: ["recaps:read"] },
    });
    expectProblem(reused, 422, "idempotency_key_reused");
    expect(await keyCount(tenant.id)).toBe(count);
  });

  it("turns 50 concurrent duplicates into exactly one effect", async () => {
    const { tenant, key } = await makeTenantWithKey(t.deps, ["admin"]);
    const before = await keyCount(tenant.id);
    const request = {
      key,
      body: { name: "burst", scopes: ["events:write"] },
      headers: { "idempotency-key": "burst-1" },
    };
    const responses = await Promise.all(Array.from({ length: 50 }, () => call(t.app, "POST", "/v1/api-keys", request)));
    const statuses = responses.map((response) => response.status);
    // Each duplicate either replays the one result or is told the first is still running.
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const created = responses.filter((response) => response.status === 201);
    expect(new Set(created.map((response) => response.body.id)).size).toBe(1);
    for (const response of responses.filter((r) => r.status === 409)) {
      expectProblem(response, 409, "idempotency_request_in_progress");
    }
    expect(await keyCount(tenant.id)).toBe(before + 1);
  });

  it("keeps keys apart per tenant", async () => {
    const a = await makeTenantWithKey(t.deps, ["admin"]);
    const b = await makeTenantWithKey(t.deps, ["admin"]);
    const headers = { "idempotency-key": "shared-name" };
    const first = await call(t.app, "POST", "/v1/api-keys", {
      key: a.key,
      headers,
      body: { name: "x", scopes: ["admin"] },
    });
    const second = await call(t.app, "POST", "/v1/api-keys", {
      key: b.key,
      headers,
      body: { name: "x", scopes: ["admin"] },
    });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(second.body.id).not.toBe(first.body.id);
  });

  it("does not store a failed validation, so the corrected request can reuse the key", async () => {
    const { key } = await makeTenantWithKey(t.deps, ["admin"]);
    const headers = { "idempotency-key": "fix-me" };
    const bad = await call(t.app, "POST", "/v1/api-keys", { key, headers, body: { name: "x", scopes: [] } });
    expectProblem(bad, 400, "validation_failed");
    const again = await call(t.app, "POST", "/v1/api-keys", { key, headers, body: { name: "x", scopes: [] } });
    expectProblem(again, 400, "validation_failed");
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    const corrected = await call(t.app, "POST", "/v1/api-keys", {
      key,
      headers,
      body: { name: "x", scopes: ["admin"] },
    });
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get("idempotent-replayed")).toBeNull();
  });

  it("lets an expired key (older than 24 hours) be used again", async () => {
    const { tenant, key } = await makeTenantWithKey(t.deps, ["admin"]);
    const headers = { "idempotency-key": "old" };
    const first = await call(t.app, "POST", "/v1/api-keys", { key, headers, body: { name: "x", scopes: ["admin"] } });
    await t.deps.db
      .update(idempotencyKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(idempotencyKeys.tenantId, tenant.id), eq(idempotencyKeys.key, "old")));
    const second = await call(t.app, "POST", "/v1/api-keys", { key, headers, body: { name: "y", scopes: ["admin"] } });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it("refuses a malformed Idempotency-Key", async () => {
    const { key } = await makeTenantWithKey(t.deps, ["admin"]);
    const response = await call(t.app, "POST", "/v1/api-keys", {
      key,
      headers: { "idempotency-key": "x".repeat(300) },
      body: { name: "x", scopes: ["admin"] },
    });
    expectProblem(response, 400, "validation_failed");
  });
});
