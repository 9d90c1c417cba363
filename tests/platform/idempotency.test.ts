import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys } from "../../src/platform/idempotency/idempotency.schema.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
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
    const email = `replayed-${tenant.slug}@example.test`;
    const body = { email, name: "Replayed", role: "reviewer", password: "a long enough password" };
    const request = { key, body, headers: { "idempotency-key": "k-1" } };
    const first = await call(t.app, "POST", "/v1/users", request);
    const second = await call(t.app, "POST", "/v1/users", request);
    expect(first.status, first.text).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const [row] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from users where tenant_id = ${tenant.id} and email = ${email}`;
    expect(row?.n).toBe(1);
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
    // One creates the key; each duplicate is told the first is still running or, once it has
    // finished, that its secret was shown once (a new key's secret is never replayed).
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status === 409)) {
      expect(["idempotency_request_in_progress", "secret_already_shown"]).toContain(response.body.code);
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

describe("Idempotency-Key and who is calling", () => {
  it("refuses a key without the admin scope with 403 when it repeats an admin's POST /v1/api-keys, never showing the secret", async () => {
    const admin = await makeTenantWithKey(t.deps, ["admin"]);
    const { key: eventsKey } = await makeApiKey(t.deps, admin.tenant.id, ["events:write"]);
    const request = { body: { name: "ci", scopes: ["admin"] }, headers: { "idempotency-key": "same-1" } };
    const created = await call(t.app, "POST", "/v1/api-keys", { key: admin.key, ...request });
    expect(created.status, created.text).toBe(201);

    const stolen = await call(t.app, "POST", "/v1/api-keys", { key: eventsKey, ...request });
    expectProblem(stolen, 403, "insufficient_scope");
    expect(stolen.headers.get("idempotent-replayed")).toBeNull();
    expect(stolen.text).not.toContain(created.body.key);
    expect(stolen.text).not.toContain(created.body.id);
  });

  it("refuses a key without the admin scope with 403 when it repeats an admin's rotate-secret, never showing the whsec_ secret", async () => {
    const admin = await makeTenantWithKey(t.deps, ["admin"]);
    const { key: eventsKey } = await makeApiKey(t.deps, admin.tenant.id, ["events:write"]);
    const hook = await call(t.app, "POST", "/v1/webhooks", {
      key: admin.key,
      body: { url: "https://hooks.example.com/rotate" },
    });
    expect(hook.status, hook.text).toBe(201);
    const path = `/v1/webhooks/${hook.body.id}/rotate-secret`;
    const headers = { "idempotency-key": "rotate-1" };
    const rotated = await call(t.app, "POST", path, { key: admin.key, headers });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);

    const stolen = await call(t.app, "POST", path, { key: eventsKey, headers });
    expectProblem(stolen, 403, "insufficient_scope");
    expect(stolen.headers.get("idempotent-replayed")).toBeNull();
    expect(stolen.text).not.toContain("whsec_");
  });

  it("does not store a 403, so the admin who later sends the same key and body gets the operation, not the refusal", async () => {
    const admin = await makeTenantWithKey(t.deps, ["admin"]);
    const { key: eventsKey } = await makeApiKey(t.deps, admin.tenant.id, ["events:write"]);
    const request = {
      body: { name: "later", scopes: ["recaps:read"] },
      headers: { "idempotency-key": "first-refused" },
    };
    const refused = await call(t.app, "POST", "/v1/api-keys", { key: eventsKey, ...request });
    expectProblem(refused, 403, "insufficient_scope");
    const rows = await t.deps.sql`select 1 from idempotency_keys where tenant_id = ${admin.tenant.id}`;
    expect(rows).toHaveLength(0);

    const created = await call(t.app, "POST", "/v1/api-keys", { key: admin.key, ...request });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get("idempotent-replayed")).toBeNull();
  });

  it("replays a record only to the key that made it: another admin key of the same tenant runs its own request", async () => {
    const first = await makeTenantWithKey(t.deps, ["admin"]);
    const { key: secondAdmin } = await makeApiKey(t.deps, first.tenant.id, ["admin"]);
    const email = `own-${first.tenant.slug}@example.test`;
    const request = {
      body: { email, name: "Own", role: "reviewer", password: "a long enough password" },
      headers: { "idempotency-key": "per-caller" },
    };
    const made = await call(t.app, "POST", "/v1/users", { key: first.key, ...request });
    expect(made.status, made.text).toBe(201);

    // The second key's request runs (and meets the user the first one made) instead of a replay.
    const other = await call(t.app, "POST", "/v1/users", { key: secondAdmin, ...request });
    expectProblem(other, 409, "conflict");
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    const again = await call(t.app, "POST", "/v1/users", { key: first.key, ...request });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("secrets and stored responses", () => {
  it("keeps no API key or webhook secret in idempotency_keys, and answers a retry with 409 secret_already_shown", async () => {
    const admin = await makeTenantWithKey(t.deps, ["admin"]);
    const keyRequest = { body: { name: "backend", scopes: ["events:write"] }, headers: { "idempotency-key": "s-1" } };
    const created = await call(t.app, "POST", "/v1/api-keys", { key: admin.key, ...keyRequest });
    expect(created.status, created.text).toBe(201);
    const hookRequest = { body: { url: "https://hooks.example.com/s" }, headers: { "idempotency-key": "s-2" } };
    const hook = await call(t.app, "POST", "/v1/webhooks", { key: admin.key, ...hookRequest });
    expect(hook.status, hook.text).toBe(201);
    const rotateHeaders = { "idempotency-key": "s-3" };
    const rotated = await call(t.app, "POST", `/v1/webhooks/${hook.body.id}/rotate-secret`, {
      key: admin.key,
      headers: rotateHeaders,
    });
    expect(rotated.status, rotated.text).toBe(200);

    const stored = await t.deps.sql<{ row: string }[]>`
      select to_jsonb(k)::text as row from idempotency_keys k where tenant_id = ${admin.tenant.id}`;
    expect(stored).toHaveLength(3);
    for (const secret of [created.body.key, hook.body.secret, rotated.body.secret]) {
      expect(secret.length).toBeGreaterThan(20);
      expect(stored.filter(({ row }) => row.includes(secret))).toEqual([]);
    }

    const retry = await call(t.app, "POST", "/v1/api-keys", { key: admin.key, ...keyRequest });
    const problem = expectProblem(retry, 409, "secret_already_shown");
    expect(problem.location).toBe(created.headers.get("location"));
    expect(retry.text).not.toContain(created.body.key);
    expectProblem(
      await call(t.app, "POST", "/v1/webhooks", { key: admin.key, ...hookRequest }),
      409,
      "secret_already_shown",
    );
    const rotateRetry = await call(t.app, "POST", `/v1/webhooks/${hook.body.id}/rotate-secret`, {
      key: admin.key,
      headers: rotateHeaders,
    });
    expectProblem(rotateRetry, 409, "secret_already_shown");
    // Nothing ran twice: one new key, one endpoint whose secret is still the rotated one.
    expect(await keyCount(admin.tenant.id)).toBe(2);
  });
});
