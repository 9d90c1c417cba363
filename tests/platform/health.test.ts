import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe("health and docs", () => {
  it("healthz answers while the process is up", async () => {
    const response = await call(t.app, "GET", "/healthz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("readyz reports the database reachable, migrations current and the job queue running", async () => {
    const response = await call(t.app, "GET", "/readyz");
    expect(response.status).toBe(200);
    expect(response.body.checks).toEqual({ database: "ok", migrations: "ok", queue: "ok" });
  });

  it("serves an OpenAPI 3.1 document that lists the routes and the bearer scheme", async () => {
    const response = await call(t.app, "GET", "/openapi.json");
    expect(response.body.openapi).toBe("3.1.0");
    expect(Object.keys(response.body.paths)).toContain("/v1/api-keys/{id}");
    expect(response.body.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
    expect(response.body.components.schemas.Problem).toBeDefined();
  });

  it("renders the docs page and its assets over a real socket", async () => {
    const server = await listen(t.app);
    try {
      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("swagger-ui-bundle.js");
      const init = await fetch(`${server.url}/docs/assets/init.js`);
      expect(await init.text()).toContain("/openapi.json");
      const bundle = await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    } finally {
      await server.close();
    }
  });
});
