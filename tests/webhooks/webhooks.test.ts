import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, webhookDeliveryJob } from "../../src/webhooks/deliver.job.js";
import { emitWebhookEvent } from "../../src/webhooks/emit.js";
import { DELIVER_WEBHOOK_JOB, type DeliverWebhookData, type WebhookEventType } from "../../src/webhooks/event-types.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { jobsSettled } from "../support/jobs.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { type Receiver, startReceiver } from "./receiver.js";

// Deliveries go to a receiver on 127.0.0.1: the context allows http:// and exempts exactly that
// address from the SSRF check (webhooksTestAllowedAddresses, which nothing reads from the
// environment). Retries wait 100 ms instead of minutes, and attempts time out after 500 ms.
// Signatures are verified with the official `standardwebhooks` package, as a receiver would.

let t: TestContext;
let receiver: Receiver;
const RETRY_DELAYS_MS = [100, 100, 100];

beforeAll(async () => {
  t = await createTestContext({ env: { WEBHOOKS_ALLOW_INSECURE: "true" } });
  t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
  receiver = await startReceiver();
  const job = webhookDeliveryJob(t.deps, { retryDelaysMs: RETRY_DELAYS_MS, timeoutMs: 500 });
  // pg-boss's shortest polling interval, so retries scheduled 100 ms ahead run within a second (also
  // while notifications are on, which would otherwise relax it to 30 s: a retry coming due notifies no one).
  await t.deps.queue.boss.work<DeliverWebhookData>(
    job.name,
    { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5, localConcurrency: 4, batchSize: 1 },
    async (jobs) => {
      for (const item of jobs) await job.handle(item.data, item);
    },
  );
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

type Tenant = Awaited<ReturnType<typeof makeTenantWithKey>>;
type Delivery = {
  id: string;
  messageId: string;
  eventType: string;
  attempt: number;
  trigger: string;
  status: string;
  statusCode: number | null;
  responseSnippet: string | null;
  error: string | null;
  durationMs: number;
  attemptedAt: string;
  nextAttemptAt: string | null;
};

let paths = 0;
/** A fresh receiver path, so every endpoint has its own script and log. */
const newPath = (name: string) => `/hooks/${name}-${++paths}`;

async function register(tenant: Tenant, path: string, extra: Record<string, unknown> = {}) {
  const response = await call(t.app, "POST", "/v1/webhooks", {
    key: tenant.key,
    body: { url: `${receiver.origin}${path}`, ...extra },
  });
  expect(response.status, response.text).toBe(201);
  return response.body as { id: string; secret: string; url: string };
}

function emit(tenant: Tenant, type: WebhookEventType, payload: Record<string, unknown> = {}) {
  return t.deps.db.transaction((tx) => emitWebhookEvent(t.deps, tx, tenant.tenant.id, type, payload));
}

async function deliveries(tenant: Tenant, endpointId: string): Promise<Delivery[]> {
  const response = await call(t.app, "GET", `/v1/webhooks/${endpointId}/deliveries?limit=100`, { key: tenant.key });
  expect(response.status).toBe(200);
  return response.body.data;
}

/** Waits until the endpoint's log holds `count` attempts (newest first) and no retry is pending. */
async function settled(tenant: Tenant, endpointId: string, count: number): Promise<Delivery[]> {
  await expect
    .poll(
      async () => {
        const log = await deliveries(tenant, endpointId);
        return log.length === count && log[0]?.nextAttemptAt === null ? log.length : `${log.length} so far`;
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(count);
  return deliveries(tenant, endpointId);
}

/** Every delivery and retry has run: a later look at the receiver sees all it will ever get. */
const deliveriesDone = () => jobsSettled(t.deps.sql, [DELIVER_WEBHOOK_JOB]);

function verify(secret: string, request: { raw: string; headers: Record<string, string> }) {
  return new Webhook(secret).verify(request.raw, request.headers);
}

describe("webhook endpoints API", () => {
  it("registers an endpoint, shows its secret once, and reads, lists, updates and deletes it", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("crud");
    const created = await register(tenant, path, { events: ["recap.approved", "recap.published"], description: "CRM" });
    expect(created).toMatchObject({
      url: `${receiver.origin}${path}`,
      events: ["recap.approved", "recap.published"],
      description: "CRM",
      enabled: true,
      disabledAt: null,
      previousSecretExpiresAt: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const read = await call(t.app, "GET", `/v1/webhooks/${created.id}`, { key: tenant.key });
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    expect(read.text).not.toContain(created.secret);
    const list = await call(t.app, "GET", "/v1/webhooks", { key: tenant.key });
    expect(list.body.data.map((endpoint: { id: string }) => endpoint.id)).toEqual([created.id]);
    expect(list.text).not.toContain(created.secret);

    const patched = await call(t.app, "PATCH", `/v1/webhooks/${created.id}`, {
      key: tenant.key,
      body: { events: null, description: "All events", enabled: false },
    });
    expect(patched.body).toMatchObject({ events: null, description: "All events", enabled: false });
    expect(patched.body.disabledReason).toContain("API");
    const enabled = await call(t.app, "PATCH", `/v1/webhooks/${created.id}`, {
      key: tenant.key,
      body: { enabled: true },
    });
    expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null });

    expect((await call(t.app, "DELETE", `/v1/webhooks/${created.id}`, { key: tenant.key })).status).toBe(204);
    expectProblem(await call(t.app, "GET", `/v1/webhooks/${created.id}`, { key: tenant.key }), 404, "not_found");
  });

  it("refuses unknown fields, unknown event types and bad URLs with a 400 that names the field", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const post = (body: unknown) => call(t.app, "POST", "/v1/webhooks", { key: tenant.key, body });
    const fieldsOf = (response: Awaited<ReturnType<typeof post>>) =>
      (expectProblem(response, 400, "validation_failed").errors as { path: string }[]).map((error) => error.path);
    expect(fieldsOf(await post({ url: `${receiver.origin}/x`, secret: "whsec_mine" }))).toEqual(["secret"]);
    expect(fieldsOf(await post({ url: `${receiver.origin}/x`, events: ["recap.deleted"] }))).toEqual(["events[0]"]);
    expect(fieldsOf(await post({ url: `${receiver.origin}/x`, events: [] }))).toEqual(["events"]);
    expect(fieldsOf(await post({ url: "not a url" }))).toEqual(["url"]);

    const { id } = await register(tenant, newPath("patch"));
    const badPatch = await call(t.app, "PATCH", `/v1/webhooks/${id}`, {
      key: tenant.key,
      body: { url: "https://10.0.0.1/hook" },
    });
    expect(fieldsOf(badPatch)).toEqual(["url"]);
    expectProblem(await call(t.app, "GET", "/v1/webhooks/not-a-uuid", { key: tenant.key }), 400, "validation_failed");
  });

  it.each([
    ["10.0.0.0/8", "https://10.20.30.40/hook", "private"],
    ["192.168.0.0/16", "https://192.168.1.1/hook", "private"],
    ["::1", "https://[::1]/hook", "loopback"],
    ["169.254.169.254", "https://169.254.169.254/latest/meta-data/", "metadata"],
    ["fd00::/8", "https://[fd00::1234]/hook", "unique local"],
    ["IPv4-mapped IPv6", "https://[::ffff:10.0.0.1]/hook", "private"],
    ["CGNAT", "https://100.64.0.1/hook", "carrier-grade NAT"],
    ["localhost", "https://localhost:8443/hook", "public host name"],
    ["an internal name", "https://metadata.google.internal/", "public host name"],
  ])("refuses a URL pointing to %s at registration", async (_label, url, message) => {
    const tenant = await makeTenantWithKey(t.deps);
    const response = await call(t.app, "POST", "/v1/webhooks", { key: tenant.key, body: { url } });
    const problem = expectProblem(response, 400, "validation_failed");
    expect(problem.errors).toEqual([{ path: "url", message: expect.stringContaining(message) }]);
  });

  it("refuses 127.0.0.1, and http://, when the configuration does not allow them", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const config = t.deps.config;
    config.webhooksTestAllowedAddresses = undefined;
    try {
      const loopback = await call(t.app, "POST", "/v1/webhooks", {
        key: tenant.key,
        body: { url: `${receiver.origin}/hook` },
      });
      expect(expectProblem(loopback, 400, "validation_failed").errors).toEqual([
        { path: "url", message: expect.stringContaining("loopback") },
      ]);
    } finally {
      config.webhooksTestAllowedAddresses = ["127.0.0.1"];
    }
    config.webhooksAllowInsecure = false;
    try {
      const plain = await call(t.app, "POST", "/v1/webhooks", {
        key: tenant.key,
        body: { url: `${receiver.origin}/hook` },
      });
      expect(expectProblem(plain, 400, "validation_failed").errors).toEqual([
        { path: "url", message: "must be an https:// URL" },
      ]);
    } finally {
      config.webhooksAllowInsecure = true;
    }
  });

  it("hides one tenant's endpoints and deliveries from another", async () => {
    const owner = await makeTenantWithKey(t.deps);
    const other = await makeTenantWithKey(t.deps);
    const path = newPath("tenancy");
    const { id } = await register(owner, path);
    await emit(owner, "recap.approved", { recapId: "r-1" });
    const [delivery] = await settled(owner, id, 1);

    expect((await call(t.app, "GET", "/v1/webhooks", { key: other.key })).body.data).toEqual([]);
    const attempts: [string, string, unknown?][] = [
      ["GET", `/v1/webhooks/${id}`],
      ["PATCH", `/v1/webhooks/${id}`, { description: "mine now" }],
      ["POST", `/v1/webhooks/${id}/rotate-secret`],
      ["POST", `/v1/webhooks/${id}/test`],
      ["GET", `/v1/webhooks/${id}/deliveries`],
      ["POST", `/v1/webhooks/${id}/deliveries/${delivery?.id}/redeliver`],
      ["DELETE", `/v1/webhooks/${id}`],
    ];
    for (const [method, url, body] of attempts) {
      expectProblem(await call(t.app, method, url, { key: other.key, body }), 404, "not_found");
    }
    // A delivery id of another endpoint (even the tenant's own) is not found under this one.
    const second = await register(owner, newPath("tenancy-second"));
    expectProblem(
      await call(t.app, "POST", `/v1/webhooks/${second.id}/deliveries/${delivery?.id}/redeliver`, { key: owner.key }),
      404,
      "not_found",
    );
    expect((await call(t.app, "GET", `/v1/webhooks/${id}`, { key: owner.key })).body.description).toBe("");
    expect(receiver.received(path)).toHaveLength(1);
  });

  it("needs the admin scope", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const { key } = await makeApiKey(t.deps, tenant.tenant.id, ["recaps:read", "recaps:write", "review"]);
    const { id } = await register(tenant, newPath("scope"));
    for (const [method, url, body] of [
      ["GET", "/v1/webhooks"],
      ["POST", "/v1/webhooks", { url: `${receiver.origin}/x` }],
      ["GET", `/v1/webhooks/${id}`],
      ["POST", `/v1/webhooks/${id}/rotate-secret`],
      ["GET", `/v1/webhooks/${id}/deliveries`],
    ] as [string, string, unknown?][]) {
      expectProblem(await call(t.app, method, url, { key, body }), 403, "insufficient_scope");
    }
    expectProblem(await call(t.app, "GET", "/v1/webhooks"), 401, "unauthorized");
  });
});

describe("webhook delivery", () => {
  it("sends a Standard Webhooks request that the standardwebhooks library verifies", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("signed");
    const { id, secret } = await register(tenant, path);
    const { messageId, endpointIds } = await emit(tenant, "recap.approved", { recapId: "r-42", account: "Õun OÜ" });
    expect(endpointIds).toEqual([id]);
    const [attempt] = await settled(tenant, id, 1);
    expect(attempt).toMatchObject({
      messageId,
      eventType: "recap.approved",
      attempt: 1,
      trigger: "event",
      status: "succeeded",
      statusCode: 200,
      responseSnippet: "ok",
      error: null,
      nextAttemptAt: null,
    });

    const [request] = receiver.received(path);
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "webhook-id": messageId,
      "user-agent": expect.stringMatching(/^outcome-recap-webhooks\//),
    });
    expect(Number(request?.headers["webhook-timestamp"])).toBeCloseTo(Date.now() / 1000, -2);
    expect(request?.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const body = verify(secret, request!) as { type: string; timestamp: string; data: unknown };
    expect(body).toEqual({
      type: "recap.approved",
      timestamp: expect.any(String),
      data: { recapId: "r-42", account: "Õun OÜ" },
    });
    expect(new Date(body.timestamp).toString()).not.toBe("Invalid Date");
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(24, 1).toString("base64")}`).verify(request!.raw, request!.headers),
    ).toThrow();
  });

  it("sends only the event types an endpoint subscribes to, and nothing to a disabled one", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const approvedOnly = await register(tenant, newPath("approved-only"), { events: ["recap.approved"] });
    const everything = await register(tenant, newPath("everything"));
    const off = await register(tenant, newPath("off"));
    await call(t.app, "PATCH", `/v1/webhooks/${off.id}`, { key: tenant.key, body: { enabled: false } });

    expect((await emit(tenant, "recap.published", { recapId: "r" })).endpointIds).toEqual([everything.id]);
    const approved = await emit(tenant, "recap.approved", { recapId: "r" });
    expect(approved.endpointIds.sort()).toEqual([approvedOnly.id, everything.id].sort());
    expect((await settled(tenant, everything.id, 2)).map((d) => d.eventType).sort()).toEqual([
      "recap.approved",
      "recap.published",
    ]);
    expect((await settled(tenant, approvedOnly.id, 1)).map((d) => d.eventType)).toEqual(["recap.approved"]);
    expect(await deliveries(tenant, off.id)).toEqual([]);
    // Another tenant's event reaches none of them.
    const stranger = await makeTenantWithKey(t.deps);
    expect(await emit(stranger, "recap.approved", {})).toEqual({ messageId: null, endpointIds: [] });
  });

  it("sends nothing for an event emitted in a transaction that rolls back", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("rollback");
    const { id } = await register(tenant, path);
    const jobsBefore = await deliveryJobs(id);
    await expect(
      t.deps.db.transaction(async (tx) => {
        await emitWebhookEvent(t.deps, tx, tenant.tenant.id, "recap.published", { recapId: "never" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await expect(
      t.deps.sql.begin(async (sql) => {
        await emitWebhookEvent(t.deps, sql, tenant.tenant.id, "recap.published", { recapId: "never either" });
        throw new Error("this one too");
      }),
    ).rejects.toThrow("this one too");
    expect(await deliveryJobs(id)).toBe(jobsBefore);
    const [messages] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from webhook_messages where tenant_id = ${tenant.tenant.id}`;
    expect(messages?.n).toBe(0);

    // The same through postgres.js, committed: delivered.
    const committed = await t.deps.sql.begin((sql) =>
      emitWebhookEvent(t.deps, sql, tenant.tenant.id, "loop.completed", { shareCode: "abc" }),
    );
    const [attempt] = await settled(tenant, id, 1);
    expect(attempt).toMatchObject({ messageId: committed.messageId, eventType: "loop.completed", status: "succeeded" });
    await deliveriesDone();
    expect(receiver.received(path)).toHaveLength(1);
  });

  it("retries a failing receiver with the same webhook-id until it succeeds, logging every attempt", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("flaky");
    receiver.script(path, { status: 500, body: "boom" }, { status: 503, body: "busy" }, { status: 204 });
    const { id, secret } = await register(tenant, path);
    const { messageId } = await emit(tenant, "recap.drafted", { recapId: "r-7" });
    const log = await settled(tenant, id, 3);
    expect(log.map((d) => [d.attempt, d.trigger, d.status, d.statusCode, d.responseSnippet])).toEqual([
      [3, "retry", "succeeded", 204, null],
      [2, "retry", "failed", 503, "busy"],
      [1, "event", "failed", 500, "boom"],
    ]);
    expect(log[2]?.error).toBe("HTTP 500");
    expect(log[1]?.nextAttemptAt).not.toBeNull();
    // The retry waited (at least) the scheduled delay after the failed attempt.
    const failedAt = new Date(log[2]!.attemptedAt).getTime();
    expect(new Date(log[2]!.nextAttemptAt!).getTime() - failedAt).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0]!);
    expect(new Date(log[1]!.attemptedAt).getTime()).toBeGreaterThanOrEqual(failedAt + RETRY_DELAYS_MS[0]!);

    const requests = receiver.received(path);
    expect(requests.map((request) => request.headers["webhook-id"])).toEqual([messageId, messageId, messageId]);
    for (const request of requests) expect(verify(secret, request)).toMatchObject({ type: "recap.drafted" });
  });

  it("gives up after the last scheduled retry", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("down");
    receiver.script(path, ...Array.from({ length: 10 }, () => ({ status: 500 })));
    const { id } = await register(tenant, path);
    await emit(tenant, "recap.rejected", { recapId: "r-8" });
    const log = await settled(tenant, id, RETRY_DELAYS_MS.length + 1);
    expect(log.map((d) => d.attempt)).toEqual([4, 3, 2, 1]);
    expect(log.every((d) => d.status === "failed")).toBe(true);
    await deliveriesDone();
    expect(receiver.received(path)).toHaveLength(4);
  });

  it("logs a timeout as a failed attempt and retries it", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("slow");
    receiver.script(path, { status: 200, delayMs: 3000 }, { status: 200, body: "fine" });
    const { id } = await register(tenant, path);
    await emit(tenant, "recap.unpublished", { recapId: "r-9" });
    const [second, first] = await settled(tenant, id, 2);
    expect(first).toMatchObject({ status: "failed", statusCode: null, error: "timed out after 500 ms" });
    expect(first!.durationMs).toBeGreaterThanOrEqual(450);
    expect(first!.durationMs).toBeLessThan(2500);
    expect(second).toMatchObject({ status: "succeeded", statusCode: 200, responseSnippet: "fine" });
  });

  it("disables the endpoint when the receiver answers 410 Gone, and stops", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("gone");
    receiver.script(path, { status: 410, body: "unsubscribed" });
    const { id } = await register(tenant, path);
    const { messageId } = await emit(tenant, "recap.published", { recapId: "r-10" });
    const [attempt] = await settled(tenant, id, 1);
    expect(attempt).toMatchObject({ status: "failed", statusCode: 410, nextAttemptAt: null });
    const endpoint = (await call(t.app, "GET", `/v1/webhooks/${id}`, { key: tenant.key })).body;
    expect(endpoint).toMatchObject({ enabled: false, disabledAt: expect.any(String) });
    expect(endpoint.disabledReason).toContain("410");
    expect(endpoint.disabledReason).toContain(messageId);

    expect((await emit(tenant, "recap.published", { recapId: "r-11" })).endpointIds).toEqual([]);
    const test = await call(t.app, "POST", `/v1/webhooks/${id}/test`, { key: tenant.key });
    expectProblem(test, 409, "conflict");
    expectProblem(
      await call(t.app, "POST", `/v1/webhooks/${id}/deliveries/${attempt?.id}/redeliver`, { key: tenant.key }),
      409,
      "conflict",
    );
    await deliveriesDone();
    expect(receiver.received(path)).toHaveLength(1);
  });

  it("does not follow a redirect, not even to the receiver's own (allowed) address", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("redirect");
    const target = newPath("redirect-target");
    receiver.script(
      path,
      ...RETRY_DELAYS_MS.concat(0).map(() => ({ status: 302, headers: { location: `${receiver.origin}${target}` } })),
    );
    const { id } = await register(tenant, path);
    await emit(tenant, "recap.approved", {});
    const log = await settled(tenant, id, RETRY_DELAYS_MS.length + 1);
    expect(log[3]).toMatchObject({ status: "failed", statusCode: 302 });
    expect(log[3]?.error).toBe(`redirect to ${receiver.origin}${target} not followed`);
    expect(receiver.received(target)).toEqual([]);
  });

  it("does not follow a 302 to the metadata address", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("redirect-metadata");
    receiver.script(path, { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
    const { id } = await register(tenant, path);
    await emit(tenant, "recap.approved", {});
    await expect.poll(async () => (await deliveries(tenant, id))[0]?.statusCode, { timeout: 10_000 }).toBe(302);
    const [attempt] = await deliveries(tenant, id);
    expect(attempt?.error).toContain("169.254.169.254/latest/meta-data/ not followed");
    await call(t.app, "DELETE", `/v1/webhooks/${id}`, { key: tenant.key });
  });

  it("checks the target again at delivery time and refuses an address no longer allowed", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("rechecked");
    const { id } = await register(tenant, path);
    t.deps.config.webhooksTestAllowedAddresses = undefined;
    try {
      await emit(tenant, "recap.approved", {});
      await expect.poll(async () => (await deliveries(tenant, id)).length, { timeout: 10_000 }).toBeGreaterThan(0);
      const [attempt] = await deliveries(tenant, id);
      expect(attempt).toMatchObject({ status: "failed", statusCode: null });
      expect(attempt?.error).toContain("refused");
      expect(attempt?.error).toContain("loopback");
      // The pending retries go with the endpoint, before the exemption comes back.
      await call(t.app, "DELETE", `/v1/webhooks/${id}`, { key: tenant.key });
    } finally {
      t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
    }
    await deliveriesDone();
    expect(receiver.received(path)).toEqual([]);
  });
});

describe("webhook delivery, handled directly", () => {
  it("finishes quietly when the endpoint is deleted while its attempt is in flight", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("deleted-in-flight");
    receiver.script(path, { status: 200, delayMs: 300 });
    const { id } = await register(tenant, path);
    const messageId = `msg_direct${Date.now()}`;
    await t.deps.sql`insert into webhook_messages (id, tenant_id, type, payload, created_at)
      values (${messageId}, ${tenant.tenant.id}, 'recap.approved', '{}'::jsonb, now())`;
    const data = { tenantId: tenant.tenant.id, endpointId: id, messageId, attempt: 1 };
    const attempt = deliverWebhook(t.deps, data, null, { timeoutMs: 2000 });
    await expect.poll(() => receiver.received(path).length).toBe(1);
    await call(t.app, "DELETE", `/v1/webhooks/${id}`, { key: tenant.key });
    await expect(attempt).resolves.toBeUndefined();
    const [row] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from webhook_deliveries where message_id = ${messageId}`;
    expect(row?.n).toBe(0);
  });
});

describe("secret rotation, test events and redelivery", () => {
  it("signs with both secrets for 24 hours after a rotation, then with the new one only", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("rotation");
    const { id, secret: oldSecret } = await register(tenant, path);
    const rotated = await call(t.app, "POST", `/v1/webhooks/${id}/rotate-secret`, { key: tenant.key });
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const overlap = new Date(rotated.body.previousSecretExpiresAt).getTime() - Date.now();
    expect(overlap).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3_600_000);

    await emit(tenant, "recap.approved", { n: 1 });
    await settled(tenant, id, 1);
    const [during] = receiver.received(path);
    expect(during?.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(verify(oldSecret, during!)).toMatchObject({ data: { n: 1 } });
    expect(verify(newSecret, during!)).toMatchObject({ data: { n: 1 } });

    // A day later the old secret no longer signs.
    await t.deps
      .sql`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${id}`;
    await emit(tenant, "recap.approved", { n: 2 });
    await settled(tenant, id, 2);
    const after = receiver.received(path)[1]!;
    expect(after.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(verify(newSecret, after)).toMatchObject({ data: { n: 2 } });
    expect(() => verify(oldSecret, after)).toThrow();
  });

  it("sends webhook.test to one endpoint whatever it subscribes to, and redelivers a logged attempt", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const path = newPath("test-event");
    const other = await register(tenant, newPath("bystander"));
    const { id, secret } = await register(tenant, path, { events: ["loop.completed"] });
    const test = await call(t.app, "POST", `/v1/webhooks/${id}/test`, { key: tenant.key });
    expect(test.status).toBe(202);
    const [attempt] = await settled(tenant, id, 1);
    expect(attempt).toMatchObject({ messageId: test.body.messageId, eventType: "webhook.test", trigger: "test" });
    expect(verify(secret, receiver.received(path)[0]!)).toMatchObject({
      type: "webhook.test",
      data: { endpointId: id },
    });
    expect(await deliveries(tenant, other.id)).toEqual([]);

    const again = await call(t.app, "POST", `/v1/webhooks/${id}/deliveries/${attempt?.id}/redeliver`, {
      key: tenant.key,
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ messageId: test.body.messageId, attempt: 2 });
    const log = await settled(tenant, id, 2);
    expect(log[0]).toMatchObject({
      attempt: 2,
      trigger: "manual",
      status: "succeeded",
      messageId: test.body.messageId,
    });
    const ids = receiver.received(path).map((request) => request.headers["webhook-id"]);
    expect(ids).toEqual([test.body.messageId, test.body.messageId]);
    expectProblem(
      await call(t.app, "POST", `/v1/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`, {
        key: tenant.key,
      }),
      404,
      "not_found",
    );
  });

  it("pages through the delivery log newest first", async () => {
    const tenant = await makeTenantWithKey(t.deps);
    const { id } = await register(tenant, newPath("pages"));
    for (const n of [1, 2, 3]) {
      await emit(tenant, "recap.approved", { n });
      await settled(tenant, id, n);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await call(t.app, "GET", `/v1/webhooks/${id}/deliveries${query}`, { key: tenant.key });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((d: Delivery) => d.id));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toEqual((await deliveries(tenant, id)).map((d) => d.id));
    expect(seen).toHaveLength(3);
    const bad = await call(t.app, "GET", `/v1/webhooks/${id}/deliveries?cursor=nonsense`, { key: tenant.key });
    expect(expectProblem(bad, 400, "validation_failed").errors).toEqual([
      { path: "query.cursor", message: "is not a cursor this API gave out" },
    ]);
  });
});

/** Delivery jobs pg-boss holds for an endpoint, in any state. */
async function deliveryJobs(endpointId: string): Promise<number> {
  const [row] = await t.deps.sql<{ n: number }[]>`
    select count(*)::int as n from pgboss.job where name = 'webhooks.deliver' and data->>'endpointId' = ${endpointId}`;
  return row?.n ?? 0;
}
