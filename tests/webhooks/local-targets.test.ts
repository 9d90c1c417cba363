import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { type Receiver, startReceiver } from "./receiver.js";

// A developer's set-up: a receiver on this machine, allowed by documented settings alone (no
// test-only exemption), and the same settings refused in production mode.
const DEVELOPMENT = {
  WEBHOOKS_ALLOW_INSECURE: "true",
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
  WEBHOOKS_ALLOWED_PORTS: "any",
};

let development: TestContext;
let production: TestContext;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  development = await createTestContext({ env: DEVELOPMENT });
  production = await createTestContext({
    env: { WEBHOOKS_ALLOW_INSECURE: "true", WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true", NODE_ENV: "production" },
  });
  await development.startWorkers();
});
afterAll(async () => {
  await development.close();
  await production.close();
  await receiver.close();
});

function register(t: TestContext, key: string, url: string) {
  return call(t.app, "POST", "/v1/webhooks", { key, body: { url } });
}

describe("webhooks to this machine", () => {
  it("are delivered to a loopback receiver when private targets are allowed", async () => {
    const { key } = await makeTenantWithKey(development.deps);
    const endpoint = await register(development, key, `${receiver.origin}/local-dev`);
    expect(endpoint.status, endpoint.text).toBe(201);
    const sent = await call(development.app, "POST", `/v1/webhooks/${endpoint.body.id}/test`, { key });
    expect(sent.status).toBe(202);
    await expect.poll(() => receiver.received("/local-dev").length, { timeout: 30_000, interval: 100 }).toBe(1);
    const localhost = await register(development, key, `http://localhost:${receiver.port}/by-name`);
    expect(localhost.status, localhost.text).toBe(201);
  });

  it("still never reach a cloud metadata service, whatever is allowed", async () => {
    const { key } = await makeTenantWithKey(development.deps);
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/"]) {
      const refused = await register(development, key, url);
      expect(expectProblem(refused, 400, "validation_failed").errors).toEqual([
        { path: "url", message: expect.stringContaining("metadata") },
      ]);
    }
  });

  it("are refused in production mode even when the setting asks for them, with a warning", async () => {
    expect(production.deps.config.webhooksAllowPrivateTargets).toBe(false);
    expect(production.deps.config.warnings).toEqual([
      expect.stringContaining("WEBHOOKS_ALLOW_PRIVATE_TARGETS=true is refused in production"),
    ]);
    const { key } = await makeTenantWithKey(production.deps);
    const refused = await register(production, key, `${receiver.origin.replace(/:\d+$/, "")}/hook`);
    expect(expectProblem(refused, 400, "validation_failed").errors).toEqual([
      { path: "url", message: expect.stringContaining("loopback") },
    ]);
  });
});

describe("webhook ports", () => {
  it("are 80 and 443 unless configured", async () => {
    const { key } = await makeTenantWithKey(production.deps);
    const refused = await register(production, key, "https://hooks.example.com:8443/hook");
    expect(expectProblem(refused, 400, "validation_failed").errors).toEqual([
      { path: "url", message: expect.stringContaining("WEBHOOKS_ALLOWED_PORTS") },
    ]);
    expect((await register(production, key, "https://hooks.example.com/hook")).status).toBe(201);
    expect((await register(production, key, "http://hooks.example.com:80/hook")).status).toBe(201);
  });

  it("take a configured list or any, and refuse a bad list naming the variable", () => {
    expect(loadConfig({}).webhooksAllowedPorts).toEqual([80, 443]);
    expect(loadConfig({ WEBHOOKS_ALLOWED_PORTS: "443, 8443" }).webhooksAllowedPorts).toEqual([443, 8443]);
    expect(loadConfig({ WEBHOOKS_ALLOWED_PORTS: "any" }).webhooksAllowedPorts).toBe("any");
    expect(() => loadConfig({ WEBHOOKS_ALLOWED_PORTS: "70000" })).toThrow(/WEBHOOKS_ALLOWED_PORTS/);
    expect(() => loadConfig({ WEBHOOKS_ALLOWED_PORTS: "http" })).toThrow(/WEBHOOKS_ALLOWED_PORTS/);
    expect(loadConfig({}).webhooksAllowPrivateTargets).toBe(false);
  });
});
