import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let key: string;
beforeAll(async () => {
  t = await createTestContext({ env: { BODY_LIMIT_BYTES: "2048" } });
  ({ key } = await makeTenantWithKey(t.deps));
  // A route that fails the way a bug would, to see what a 500 reveals.
  t.app.get("/boom", () => {
    throw new Error("secret internal detail: password=hunter2");
  });
});
afterAll(() => t.close());

describe("problem+json for every error", () => {
  it("answers an unknown path with 404", async () => {
    const problem = expectProblem(await call(t.app, "GET", "/nowhere"), 404, "not_found");
    expect(problem.instance).toBe("/nowhere");
  });

  it("answers a known path with a wrong method with 405 and Allow", async () => {
    const response = await call(t.app, "DELETE", "/healthz");
    expectProblem(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers a body over the limit with 413", async () => {
    const response = await call(t.app, "POST", "/v1/api-keys", {
      key,
      rawBody: JSON.stringify({ name: "x".repeat(5000), scopes: ["admin"] }),
      headers: { "content-type": "application/json", "content-length": "5030" },
    });
    expectProblem(response, 413, "payload_too_large");
  });

  it("answers a body that is not JSON with 415", async () => {
    const response = await call(t.app, "POST", "/v1/api-keys", {
      key,
      rawBody: "name=x",
      headers: { "content-type": "text/plain" },
    });
    expectProblem(response, 415, "unsupported_media_type");
  });

  it("answers broken JSON with 400 invalid_json", async () => {
    const response = await call(t.app, "POST", "/v1/api-keys", {
      key,
      rawBody: '{"name": "x",',
      headers: { "content-type": "application/json" },
    });
    expectProblem(response, 400, "invalid_json");
  });

  it("lists every bad field, unknown fields included", async () => {
    const response = await call(t.app, "POST", "/v1/api-keys", {
      key,
      body: { name: "", scopes: ["recaps:read", "root"], colour: "red" },
    });
    const problem = expectProblem(response, 400, "validation_failed");
    const paths = (problem.errors as { path: string }[]).map((error) => error.path).sort();
    expect(paths).toEqual(["colour", "name", "scopes[1]"]);
  });

  it("treats a missing body as invalid, not as empty", async () => {
    const response = await call(t.app, "POST", "/v1/api-keys", { key });
    expectProblem(response, 400, "validation_failed");
  });

  it("validates path parameters", async () => {
    const problem = expectProblem(
      await call(t.app, "GET", "/v1/api-keys/not-a-uuid", { key }),
      400,
      "validation_failed",
    );
    expect((problem.errors as { path: string }[])[0]?.path).toBe("param.id");
  });

  it("answers text the database cannot store (NUL, half a surrogate pair) with 400, not 500", async () => {
    const nul = await call(t.app, "PUT", "/v1/accounts/acct-nul", { key, body: { name: "A", segment: "a\u0000b" } });
    expectProblem(nul, 400, "validation_failed");
    // Names are cleaned where they come in (src/platform/text/clean-name.ts): the NUL goes, the name stays.
    const name = await call(t.app, "PATCH", "/v1/tenant", { key, body: { name: "a\u0000b" } });
    expect(name.body.name).toBe("ab");
    const nulInQuery = await call(t.app, "GET", "/v1/recaps?account=a%00b", { key });
    expectProblem(nulInQuery, 400, "validation_failed");
    const { key: eventsKey } = await makeTenantWithKey(t.deps, ["events:write", "accounts:write"]);
    expect((await call(t.app, "PUT", "/v1/accounts/acct-1", { key: eventsKey, body: { name: "A" } })).status).toBe(201);
    for (const properties of [{ a: "\u0000" }, { a: "\ud800" }]) {
      const event = { account: "acct-1", event: "run", occurred_at: new Date().toISOString(), properties };
      expectProblem(
        await call(t.app, "POST", "/v1/events", { key: eventsKey, body: { events: [event] } }),
        400,
        "validation_failed",
      );
    }
  });

  it("answers a form body that cannot be parsed (multipart without its boundary) with 400, not 500", async () => {
    const response = await call(t.app, "POST", "/review/login", {
      rawBody: '--zz\r\nContent-Disposition: form-data; name="email"\r\n\r\nx\r\n--zz--',
      headers: { "content-type": "multipart/form-data; boundary=other" },
    });
    expectProblem(response, 400, "validation_failed");
  });

  it("says nothing internal on a 500, but carries the request id", async () => {
    const response = await call(t.app, "GET", "/boom", { headers: { "x-request-id": "req-123" } });
    const problem = expectProblem(response, 500, "internal_error");
    expect(response.text).not.toContain("hunter2");
    expect(response.text).not.toContain("secret internal");
    expect(problem.requestId).toBe("req-123");
    expect(response.headers.get("x-request-id")).toBe("req-123");
  });
});
