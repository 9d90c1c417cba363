import {
  createOutcomeRecapClient,
  OutcomeRecapError,
  RecapWaitTimeout,
  sendEvents,
  verifyWebhook,
  WebhookVerificationError,
  waitForRecap,
} from "@outcome-recap/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { signatureHeader } from "../../src/webhooks/signing.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { quarterOfEvents, recordingSleep } from "./support.js";

let t: TestContext;
let a: { tenantId: string; key: string };
let b: { tenantId: string; key: string };

/** Every request the SDK sent, and a hook to answer one in place of the app. */
function recordingFetch(answer?: (request: Request, index: number) => Response | undefined) {
  const requests: { method: string; path: string; idempotencyKey: string | null; events: number }[] = [];
  const fetch = async (request: Request) => {
    const body = request.method === "POST" ? await request.clone().text() : "";
    const index = requests.length;
    requests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      idempotencyKey: request.headers.get("idempotency-key"),
      events: body ? ((JSON.parse(body) as { events?: unknown[] }).events?.length ?? 0) : 0,
    });
    const response = await t.app.fetch(request);
    return answer?.(request, index) ?? response;
  };
  return { requests, fetch };
}

const storedEvents = async (tenantId: string) =>
  (await t.deps.sql<{ n: number }[]>`select count(*)::int as n from usage_events where tenant_id = ${tenantId}`)[0]?.n;

beforeAll(async () => {
  t = await createTestContext({ env: { RATE_LIMIT_PER_MINUTE: "60", RATE_LIMIT_BURST: "40" } });
  const tenantWithKey = async () => {
    const made = await makeTenantWithKey(t.deps);
    return { tenantId: made.tenant.id, key: made.key };
  };
  a = await tenantWithKey();
  b = await tenantWithKey();
  for (const [tenant, account] of [
    [a, "acct-a"],
    [b, "acct-b"],
  ] as const) {
    const created = await call(t.app, "PUT", `/v1/accounts/${account}`, { key: tenant.key, body: { name: account } });
    expect(created.status, created.text).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe("sendEvents", () => {
  it("sends 20,001 events in three batches of at most 10,000, each with its own Idempotency-Key", async () => {
    const { requests, fetch } = recordingFetch();
    const client = createOutcomeRecapClient({ baseUrl: "http://sdk.test", apiKey: a.key, fetch });
    const events = Array.from({ length: 20_001 }, (_, i) => ({
      account: "acct-a",
      event: "report.exported",
      occurred_at: new Date(t.deps.clock.now().getTime() - i * 60_000).toISOString(),
      event_id: `bulk-${i}`,
    }));
    const result = await sendEvents(client, events);
    expect(result).toEqual({ batches: 3, received: 20_001, inserted: 20_001, duplicates: 0 });
    expect(requests.map((r) => r.events)).toEqual([10_000, 10_000, 1]);
    const keys = requests.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
    expect(keys.every((key) => typeof key === "string" && key.length > 0)).toBe(true);
  }, 60_000);

  it("sends a batch answered 503 again with the same key after Retry-After, and it is stored once", async () => {
    // The first attempt reaches the app and is stored, but its answer is lost behind a 503.
    const { requests, fetch } = recordingFetch((_request, index) =>
      index === 0
        ? new Response('{"code":"service_unavailable","status":503}', {
            status: 503,
            headers: { "retry-after": "7", "content-type": "application/problem+json" },
          })
        : undefined,
    );
    const client = createOutcomeRecapClient({ baseUrl: "http://sdk.test", apiKey: a.key, fetch });
    const { waits, sleep } = recordingSleep();
    const before = await storedEvents(a.tenantId);
    const events = Array.from({ length: 50 }, (_, i) => ({
      account: "acct-a",
      event: "report.exported",
      occurred_at: t.deps.clock.now().toISOString(),
      event_id: `retried-${i}`,
    }));
    const result = await sendEvents(client, events, { sleep });
    expect(waits).toEqual([7_000]);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.idempotencyKey).toBe(requests[0]?.idempotencyKey);
    expect(result).toMatchObject({ batches: 1, received: 50, inserted: 50 });
    expect((await storedEvents(a.tenantId)) ?? 0).toBe((before ?? 0) + 50);
  });

  it("retries after a dropped connection with an exponential back-off", async () => {
    let calls = 0;
    const client = createOutcomeRecapClient({
      baseUrl: "http://sdk.test",
      apiKey: a.key,
      fetch: async (request) => {
        calls++;
        if (calls <= 2) throw new TypeError("fetch failed");
        return t.app.fetch(request);
      },
    });
    const { waits, sleep } = recordingSleep();
    const event = { account: "acct-a", event: "report.exported", occurred_at: t.deps.clock.now().toISOString() };
    const result = await sendEvents(client, [event], { sleep, initialDelayMs: 100 });
    expect(result.inserted).toBe(1);
    expect(waits).toEqual([100, 200]);
  });

  it("waits Retry-After on each 429 from the rate limit and gives up after maxAttempts with the problem", async () => {
    const limited = await makeTenantWithKey(t.deps, ["events:write"]);
    const client = createOutcomeRecapClient({
      baseUrl: "http://sdk.test",
      apiKey: limited.key,
      fetch: (r) => t.app.fetch(r),
    });
    // Spend the burst (40, refilled at one a second) until the service refuses.
    for (let i = 0; i < 100 && (await client.GET("/v1/tenant")).response.status !== 429; i++);
    const { waits, sleep } = recordingSleep();
    const error = await sendEvents(client, [{ account: "x", event: "e", occurred_at: new Date().toISOString() }], {
      sleep,
      maxAttempts: 3,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeRecapError);
    expect((error as OutcomeRecapError).status).toBe(429);
    expect((error as OutcomeRecapError).problem?.code).toBe("rate_limited");
    expect(waits).toHaveLength(2);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(1_000);
  });

  it("throws a refused batch's problem at once, without retrying, and stores nothing of it", async () => {
    const { requests, fetch } = recordingFetch();
    const client = createOutcomeRecapClient({ baseUrl: "http://sdk.test", apiKey: a.key, fetch });
    const before = await storedEvents(a.tenantId);
    const error = await sendEvents(client, [
      { account: "acct-a", event: "ok", occurred_at: t.deps.clock.now().toISOString() },
      { account: "acct-b", event: "ok", occurred_at: t.deps.clock.now().toISOString() },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeRecapError);
    expect((error as OutcomeRecapError).problem).toMatchObject({
      status: 400,
      code: "validation_failed",
      errors: [{ path: "events[1].account" }],
    });
    expect(requests).toHaveLength(1);
    expect(await storedEvents(a.tenantId)).toBe(before);
  });

  it("refuses a batch size above 10,000 before sending anything", async () => {
    const client = createOutcomeRecapClient({
      baseUrl: "http://sdk.test",
      apiKey: a.key,
      fetch: (r) => t.app.fetch(r),
    });
    await expect(sendEvents(client, [], { batchSize: 10_001 })).rejects.toThrow(RangeError);
  });
});

describe("waitForRecap", () => {
  let recapId: string;

  beforeAll(async () => {
    for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, a.tenantId, key, input);
    const events = quarterOfEvents("acct-a", t.deps.clock.now());
    const sent = await call(t.app, "POST", "/v1/events", { key: a.key, body: { events } });
    expect(sent.status, sent.text).toBe(200);
    // No worker runs in this file: the recap stays in drafting.
    const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "acct-a" } });
    expect(created.status, created.text).toBe(202);
    recapId = created.body.id;
  });

  it("returns the recap at once when it is already in a wanted state", async () => {
    const client = createOutcomeRecapClient({
      baseUrl: "http://sdk.test",
      apiKey: a.key,
      fetch: (r) => t.app.fetch(r),
    });
    const recap = await waitForRecap(client, recapId, "drafting");
    expect(recap).toMatchObject({ id: recapId, state: "drafting" });
  });

  it("polls on the injected clock and times out with the last recap read", async () => {
    const client = createOutcomeRecapClient({
      baseUrl: "http://sdk.test",
      apiKey: a.key,
      fetch: (r) => t.app.fetch(r),
    });
    let now = 0;
    const waits: number[] = [];
    const error = await waitForRecap(client, recapId, ["pending_review", "approved"], {
      timeoutMs: 5_000,
      intervalMs: 2_000,
      clock: { now: () => now },
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecapWaitTimeout);
    expect((error as RecapWaitTimeout).recap.state).toBe("drafting");
    expect(waits).toEqual([2_000, 2_000, 1_000]);
  });

  it("gives another tenant's key a 404 problem, not the recap", async () => {
    const client = createOutcomeRecapClient({
      baseUrl: "http://sdk.test",
      apiKey: b.key,
      fetch: (r) => t.app.fetch(r),
    });
    const error = await waitForRecap(client, recapId, "drafting").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeRecapError);
    expect((error as OutcomeRecapError).problem).toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("verifyWebhook", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const body = JSON.stringify({
    type: "recap.approved",
    timestamp: "2026-12-01T10:00:00.000Z",
    data: { recapId: "r1" },
  });
  const signed = (payload: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      "webhook-id": "msg_01JC2Z4J6T9V8Q5N3M1K0H7G6F",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signatureHeader([secret], "msg_01JC2Z4J6T9V8Q5N3M1K0H7G6F", timestamp, payload),
    };
  };

  it("accepts a delivery signed the way the service signs it and returns the event", () => {
    expect(verifyWebhook(secret, body, new Headers(signed(body)))).toEqual({
      type: "recap.approved",
      timestamp: "2026-12-01T10:00:00.000Z",
      data: { recapId: "r1" },
    });
  });

  it("takes the raw bytes and a Node header object with any letter case, as a Node server receives them", () => {
    const headers = Object.fromEntries(
      Object.entries(signed(body)).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(verifyWebhook(secret, Buffer.from(body), headers).type).toBe("recap.approved");
  });

  it("refuses a body changed after signing, and a signature made with another secret", () => {
    expect(() => verifyWebhook(secret, body.replace("r1", "r2"), signed(body))).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook("whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCEh", body, signed(body))).toThrow(
      WebhookVerificationError,
    );
  });
});
