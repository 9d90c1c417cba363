import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { type Receiver, startReceiver } from "../webhooks/receiver.js";

/** Review decisions reach the tenant's webhook endpoint, signed, from the same transaction. */
let t: TestContext;
let receiver: Receiver;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;

beforeAll(async () => {
  t = await createTestContext({ env: { WEBHOOKS_ALLOW_INSECURE: "true" } });
  t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
  receiver = await startReceiver();
  tenant = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, tenant.tenant.id);
  await t.startWorkers();
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

describe("webhooks from the review flow", () => {
  it("sends recap.drafted, recap.approved and recap.published, each verifiable with the endpoint's secret", async () => {
    const endpoint = await call(t.app, "POST", "/v1/webhooks", {
      key: tenant.key,
      body: { url: `${receiver.origin}/flow`, events: ["recap.drafted", "recap.approved", "recap.published"] },
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const created = await call(t.app, "POST", "/v1/recaps", { key: tenant.key, body: { account: "fjord-ab" } });
    await expect
      .poll(async () => (await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: tenant.key })).body.state, {
        timeout: 20_000,
      })
      .toBe("pending_review");
    const loaded = await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: tenant.key });
    const approved = await call(t.app, "POST", `/v1/recaps/${created.body.id}/approve`, {
      key: tenant.key,
      body: {},
      headers: { "if-match": loaded.headers.get("etag") ?? "" },
    });
    await call(t.app, "POST", `/v1/recaps/${created.body.id}/publish`, {
      key: tenant.key,
      body: {},
      headers: { "if-match": approved.headers.get("etag") ?? "" },
    });
    await expect.poll(() => receiver.received("/flow").length, { timeout: 30_000 }).toBe(3);
    const verifier = new Webhook(endpoint.body.secret);
    const events = receiver
      .received("/flow")
      .map((request) => verifier.verify(request.raw, request.headers) as { type: string; data: { recapId: string } });
    expect(events.map((event) => event.type).sort()).toEqual(["recap.approved", "recap.drafted", "recap.published"]);
    expect(new Set(events.map((event) => event.data.recapId))).toEqual(new Set([created.body.id]));
  }, 60_000);
});
