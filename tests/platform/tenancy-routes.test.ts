import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps, ["admin"]);
  b = await makeTenantWithKey(t.deps, ["admin"]);
});
afterAll(() => t.close());

describe("tenant settings", () => {
  it("returns the calling key's own tenant", async () => {
    const response = await call(t.app, "GET", "/v1/tenant", { key: a.key });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: a.tenant.id, slug: a.tenant.slug, defaultLocale: "en", currency: "EUR" });
  });

  it("changes settings and validates each field", async () => {
    const changed = await call(t.app, "PATCH", "/v1/tenant", {
      key: a.key,
      body: {
        defaultLocale: "fi",
        currency: "SEK",
        signupUrl: "https://example.test/signup",
        approvalPolicy: "auto_when_clean",
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ defaultLocale: "fi", currency: "SEK", approvalPolicy: "auto_when_clean" });
    const bad = await call(t.app, "PATCH", "/v1/tenant", {
      key: a.key,
      body: { defaultLocale: "xx", currency: "EURO", signupUrl: "javascript:alert(1)", brand: { primaryColor: "red" } },
    });
    const problem = expectProblem(bad, 400, "validation_failed");
    const paths = (problem.errors as { path: string }[]).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["defaultLocale", "currency", "signupUrl", "brand.primaryColor"]));
    expect((await call(t.app, "GET", "/v1/tenant", { key: a.key })).body.currency).toBe("SEK");
  });

  it("needs the admin scope to change settings", async () => {
    const reader = await makeTenantWithKey(t.deps, ["recaps:read"]);
    expectProblem(
      await call(t.app, "PATCH", "/v1/tenant", { key: reader.key, body: { name: "x" } }),
      403,
      "insufficient_scope",
    );
  });
});

describe("API keys and users are the tenant's own", () => {
  it("creates a key whose secret works and is shown only once", async () => {
    const created = await call(t.app, "POST", "/v1/api-keys", {
      key: a.key,
      body: { name: "ci", scopes: ["recaps:read"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^ork_[0-9a-f]{8}_/);
    expect((await call(t.app, "GET", "/v1/tenant", { key: created.body.key })).status).toBe(200);
    const fetched = await call(t.app, "GET", `/v1/api-keys/${created.body.id}`, { key: a.key });
    expect(fetched.body.key).toBeUndefined();
    expect(fetched.body.prefix).toBe(created.body.prefix);
  });

  it("lists only the calling tenant's keys", async () => {
    const list = await call(t.app, "GET", "/v1/api-keys", { key: b.key });
    expect(list.body.data.map((key: { id: string }) => key.id)).toEqual([b.keyRecord.id]);
  });

  it("hides another tenant's key as 404 on read and on revoke", async () => {
    expectProblem(await call(t.app, "GET", `/v1/api-keys/${a.keyRecord.id}`, { key: b.key }), 404, "not_found");
    expectProblem(await call(t.app, "DELETE", `/v1/api-keys/${a.keyRecord.id}`, { key: b.key }), 404, "not_found");
    expect((await call(t.app, "GET", "/v1/tenant", { key: a.key })).status).toBe(200);
  });

  it("revokes a key at once", async () => {
    const spare = await call(t.app, "POST", "/v1/api-keys", { key: b.key, body: { name: "spare", scopes: ["admin"] } });
    const revoked = await call(t.app, "DELETE", `/v1/api-keys/${spare.body.id}`, { key: b.key });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expectProblem(await call(t.app, "GET", "/v1/tenant", { key: spare.body.key }), 401, "unauthorized");
  });

  it("adds users to the tenant, refuses duplicates and weak passwords, and keeps tenants apart", async () => {
    const body = { email: "Ana@Example.test", name: "Ana", role: "reviewer", password: "long enough password" };
    const created = await call(t.app, "POST", "/v1/users", { key: a.key, body });
    expect(created.status).toBe(201);
    expect(created.body.passwordHash).toBeUndefined();
    expectProblem(
      await call(t.app, "POST", "/v1/users", { key: a.key, body: { ...body, email: "ana@example.test" } }),
      409,
      "conflict",
    );
    const weak = await call(t.app, "POST", "/v1/users", {
      key: a.key,
      body: { ...body, email: "b@example.test", password: "short" },
    });
    expectProblem(weak, 400, "validation_failed");
    const others = await call(t.app, "GET", "/v1/users", { key: b.key });
    expect(others.body.data).toEqual([]);
  });
});
