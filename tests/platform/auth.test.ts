import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "../../src/platform/tenancy/tenancy.schema.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe("API key authentication", () => {
  it("refuses a request without a key with 401 and a WWW-Authenticate challenge", async () => {
    const response = await call(t.app, "GET", "/v1/tenant");
    expectProblem(response, 401, "unauthorized");
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("refuses a malformed Authorization header", async () => {
    const response = await call(t.app, "GET", "/v1/tenant", { headers: { authorization: "Basic abc" } });
    expectProblem(response, 401, "unauthorized");
  });

  it("refuses a well-formed key that does not exist", async () => {
    const { key } = await makeTenantWithKey(t.deps);
    const forged = `${key.slice(0, -4)}AAAA`;
    expectProblem(await call(t.app, "GET", "/v1/tenant", { key: forged }), 401, "unauthorized");
  });

  it("refuses a revoked key at once", async () => {
    const { key, keyRecord } = await makeTenantWithKey(t.deps);
    expect((await call(t.app, "GET", "/v1/tenant", { key })).status).toBe(200);
    await t.deps.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, keyRecord.id));
    expectProblem(await call(t.app, "GET", "/v1/tenant", { key }), 401, "unauthorized");
  });

  it("refuses a key without the scope a route needs with 403 naming the scope", async () => {
    const { key } = await makeTenantWithKey(t.deps, ["recaps:read"]);
    const problem = expectProblem(await call(t.app, "GET", "/v1/api-keys", { key }), 403, "insufficient_scope");
    expect(problem.requiredScopes).toEqual(["admin"]);
  });

  it("records when a key was last used", async () => {
    const { tenant, key, keyRecord } = await makeTenantWithKey(t.deps);
    expect(keyRecord.lastUsedAt).toBeNull();
    await call(t.app, "GET", "/v1/tenant", { key });
    await expect
      .poll(async () => {
        const [row] = await t.deps.db.select().from(apiKeys).where(eq(apiKeys.id, keyRecord.id));
        return row?.lastUsedAt;
      })
      .toBeInstanceOf(Date);
    // The key answers for its own tenant only.
    const other = await makeApiKey(t.deps, tenant.id, ["admin"]);
    expect((await call(t.app, "GET", "/v1/tenant", { key: other.key })).body.id).toBe(tenant.id);
  });

  it("never stores the secret, only its SHA-256 and a visible prefix", async () => {
    const { key, keyRecord } = await makeTenantWithKey(t.deps);
    const [row] = await t.deps.sql`select * from api_keys where id = ${keyRecord.id}`;
    expect(JSON.stringify(row)).not.toContain(key);
    expect(key.startsWith(`${row?.prefix}_`)).toBe(true);
  });
});
