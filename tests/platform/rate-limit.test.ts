import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { Deps } from "../../src/deps.js";
import { createDatabaseClient } from "../../src/platform/db/client.js";
import { gcraPolicy, limitField, policyField, verdict } from "../../src/platform/rate-limit/gcra.js";
import { isExpensive } from "../../src/platform/rate-limit/rate-limit.js";
import { countRequest, purgeExpiredRateLimits } from "../../src/platform/rate-limit/rate-limit-state.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { type ApiResponse, call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

type Limits = Config["rateLimit"];

/** An app on this file's database with its own limits (another instance, as far as limits go). */
const appWith = (rateLimit: Limits, deps: Deps = t.deps) =>
  createApp({ ...deps, config: { ...deps.config, rateLimit } });

/**
 * One request a minute with a burst of `burst`: nothing comes back during a test, however slow the
 * machine, so every count below is exact.
 */
const slow = (burst: number, expensive: Limits["expensive"] = null): Limits => ({
  default: { perMinute: 1, burst },
  expensive,
});

/** The `r` and `t` of one policy in the RateLimit field. */
function limitOf(response: ApiResponse, policy = "default") {
  const items = (response.headers.get("ratelimit") ?? "").split(",").map((item) => item.trim());
  const match = items.map((item) => new RegExp(`^"${policy}";r=(\\d+);t=(\\d+)$`).exec(item)).find(Boolean);
  return match ? { r: Number(match[1]), t: Number(match[2]) } : undefined;
}

/**
 * Lets `seconds` pass for one API key's allowance without waiting them out. Limits count on the
 * database's clock, so time moves by moving the key's stored theoretical arrival time back.
 */
async function letTimePass(keyId: string, seconds: number): Promise<void> {
  await t.deps.sql`
    update rate_limit_state set tat = tat - make_interval(secs => ${seconds}) where key like ${`%:key:${keyId}`}`;
}

describe("per-key rate limits on /v1", () => {
  it("sends RateLimit-Policy and RateLimit on every answer, the remaining quota falling with each request", async () => {
    const app = appWith(slow(5));
    const { key } = await makeTenantWithKey(t.deps);
    const first = await call(app, "GET", "/v1/tenant", { key });
    const second = await call(app, "GET", "/v1/tenant", { key });
    // Errors count as well, and carry the fields.
    const missing = await call(app, "GET", "/v1/recaps/00000000-0000-4000-8000-000000000000", { key });
    expect([first.status, second.status, missing.status]).toEqual([200, 200, 404]);
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=5;w=300');
    expect(limitOf(first)).toEqual({ r: 4, t: 60 });
    expect(limitOf(second)).toEqual({ r: 3, t: 120 });
    expect(limitOf(missing)?.r).toBe(2);
  });

  it("refuses the request after the burst with 429 problem+json, Retry-After and r=0", async () => {
    const app = appWith(slow(2));
    const { key } = await makeTenantWithKey(t.deps);
    expect((await call(app, "GET", "/v1/tenant", { key })).status).toBe(200);
    expect((await call(app, "GET", "/v1/tenant", { key })).status).toBe(200);
    const refused = await call(app, "GET", "/v1/tenant", { key });
    const problem = expectProblem(refused, 429, "rate_limited");
    expect(problem.violatedPolicies).toEqual(["default"]);
    const retryAfter = Number(refused.headers.get("retry-after"));
    // The next request passes once one request's interval (a minute) has gone by since the first.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-policy")).toBe('"default";q=2;w=120');
    expect(limitOf(refused)).toEqual({ r: 0, t: retryAfter });
    // Hammering does not push recovery further out: a refused request is not counted.
    const again = await call(app, "GET", "/v1/tenant", { key });
    expectProblem(again, 429, "rate_limited");
    expect(Number(again.headers.get("retry-after"))).toBeLessThanOrEqual(retryAfter);
  });

  it("keeps each API key's allowance apart, even within one tenant", async () => {
    const app = appWith(slow(1));
    const { tenant, key } = await makeTenantWithKey(t.deps);
    const { key: otherKey } = await makeApiKey(t.deps, tenant.id);
    expect((await call(app, "GET", "/v1/tenant", { key })).status).toBe(200);
    expectProblem(await call(app, "GET", "/v1/tenant", { key }), 429, "rate_limited");
    const other = await call(app, "GET", "/v1/tenant", { key: otherKey });
    expect(other.status).toBe(200);
    expect(limitOf(other)?.r).toBe(0);
    expect((await call(app, "GET", "/v1/tenant", { key: (await makeTenantWithKey(t.deps)).key })).status).toBe(200);
  });

  it("shares one allowance between two instances with their own connection pools", async () => {
    const second = createDatabaseClient(t.databaseUrl, { poolSize: 2 });
    try {
      const one = appWith(slow(3));
      const two = appWith(slow(3), { ...t.deps, db: second.db, sql: second.sql });
      const { key } = await makeTenantWithKey(t.deps);
      expect(limitOf(await call(one, "GET", "/v1/tenant", { key }))?.r).toBe(2);
      expect(limitOf(await call(two, "GET", "/v1/tenant", { key }))?.r).toBe(1);
      expect(limitOf(await call(one, "GET", "/v1/tenant", { key }))?.r).toBe(0);
      expectProblem(await call(two, "GET", "/v1/tenant", { key }), 429, "rate_limited");
      expectProblem(await call(one, "GET", "/v1/tenant", { key }), 429, "rate_limited");
    } finally {
      await second.close();
    }
  });

  it("lets no more than the burst through when requests race", async () => {
    const app = appWith(slow(4));
    const { key } = await makeTenantWithKey(t.deps);
    const responses = await Promise.all(Array.from({ length: 12 }, () => call(app, "GET", "/v1/tenant", { key })));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(4);
    expect(responses.filter((response) => response.status === 429)).toHaveLength(8);
  });

  it("lets requests through again once Retry-After has passed", async () => {
    // Two a second, one at a time: the refusal says when to come back, and that is enough.
    const app = appWith({ default: { perMinute: 120, burst: 1 }, expensive: null });
    const { key, keyRecord } = await makeTenantWithKey(t.deps);
    let refused: ApiResponse | undefined;
    // However slow the machine, a handful of back-to-back requests meets a refusal.
    for (let attempt = 0; attempt < 20 && !refused; attempt++) {
      const response = await call(app, "GET", "/v1/tenant", { key });
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(200);
    }
    if (!refused) throw new Error("twenty back-to-back requests were never refused");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBe(1);
    await letTimePass(keyRecord.id, retryAfter);
    const recovered = await call(app, "GET", "/v1/tenant", { key });
    expect(recovered.status).toBe(200);
    expect(limitOf(recovered)?.r).toBe(0);
  });

  it("spends the stricter expensive policy on recap generation, and a refusal there spends no default quota", async () => {
    const app = appWith(slow(50, { perMinute: 1, burst: 1 }));
    const { key } = await makeTenantWithKey(t.deps);
    // A refused body still counts: the limit runs before validation.
    const first = await call(app, "POST", "/v1/recaps", { key, body: {} });
    expect(first.status).toBe(400);
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=50;w=3000, "expensive";q=1;w=60');
    expect(limitOf(first)?.r).toBe(49);
    expect(limitOf(first, "expensive")).toEqual({ r: 0, t: 60 });

    const refused = await call(app, "POST", "/v1/recaps", { key, body: {} });
    expect(expectProblem(refused, 429, "rate_limited").violatedPolicies).toEqual(["expensive"]);
    expect(limitOf(refused, "expensive")?.r).toBe(0);

    const listing = await call(app, "GET", "/v1/recaps", { key });
    expect(listing.status).toBe(200);
    expect(listing.headers.get("ratelimit-policy")).toBe('"default";q=50;w=3000');
    expect(limitOf(listing)?.r).toBe(48);
    expect(limitOf(listing, "expensive")).toBeUndefined();
  });

  it("counts generation and redrafts as expensive, and nothing else", () => {
    expect(isExpensive("POST", "/v1/recaps")).toBe(true);
    expect(isExpensive("POST", "/v1/recaps/3f1c2a9e-0000-4000-8000-000000000001/redraft")).toBe(true);
    expect(isExpensive("GET", "/v1/recaps")).toBe(false);
    expect(isExpensive("POST", "/v1/recaps/3f1c2a9e-0000-4000-8000-000000000001/approve")).toBe(false);
    expect(isExpensive("POST", "/v1/events")).toBe(false);
  });

  it("lets requests through without the fields, and logs, when the database cannot count them", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: "warn" }, sink);
    const app = appWith(slow(1), { ...t.deps, log });
    const { key } = await makeTenantWithKey(t.deps);
    await t.deps.sql`alter table rate_limit_state rename to rate_limit_state_away`;
    try {
      const responses = [await call(app, "GET", "/v1/tenant", { key }), await call(app, "GET", "/v1/tenant", { key })];
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      expect(responses[0]?.headers.get("ratelimit")).toBeNull();
    } finally {
      await t.deps.sql`alter table rate_limit_state_away rename to rate_limit_state`;
    }
    // One warning, however many requests went through unlimited.
    expect(lines.filter((line) => line.includes("rate limit unavailable"))).toHaveLength(1);
    expect((await call(app, "GET", "/v1/tenant", { key })).headers.get("ratelimit")).not.toBeNull();
  });

  it("does nothing, and stores nothing, when switched off", async () => {
    const { rateLimit } = loadConfig({ RATE_LIMIT_PER_MINUTE: "off", RATE_LIMIT_EXPENSIVE_PER_MINUTE: "0" });
    expect(rateLimit).toEqual({ default: null, expensive: null });
    const app = appWith(rateLimit);
    const { key, keyRecord } = await makeTenantWithKey(t.deps);
    for (let i = 0; i < 3; i++) {
      const response = await call(app, "POST", "/v1/recaps", { key, body: {} });
      expect(response.status).toBe(400);
      expect(response.headers.get("ratelimit")).toBeNull();
      expect(response.headers.get("ratelimit-policy")).toBeNull();
    }
    const rows = await t.deps.sql`select 1 from rate_limit_state where key like ${`%${keyRecord.id}`}`;
    expect(rows).toHaveLength(0);
  });

  it("leaves the share redirect, share pages, sign-in and health checks alone", async () => {
    const app = appWith(slow(1));
    for (const path of ["/r/abc123", "/s/abc123", "/review/login", "/healthz", "/openapi.json"]) {
      const response = await app.request(path);
      expect(response.headers.get("ratelimit"), path).toBeNull();
    }
  });

  it("defaults to 1200 requests a minute and 60 expensive ones, each burst a minute's worth", () => {
    expect(loadConfig({}).rateLimit).toEqual({
      default: { perMinute: 1200, burst: 1200 },
      expensive: { perMinute: 60, burst: 60 },
    });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: "OFF", RATE_LIMIT_BURST: "10" }).rateLimit.default).toBeNull();
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: "fast" })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ RATE_LIMIT_EXPENSIVE_BURST: "0" })).toThrow(/RATE_LIMIT_EXPENSIVE_BURST/);
  });
});

describe("the OpenAPI document", () => {
  it("describes 429 with its RateLimit and Retry-After headers on every authenticated operation", async () => {
    const doc = (await call(t.app, "GET", "/openapi.json")).body;
    const tooMany = doc.paths["/v1/tenant"].get.responses["429"];
    expect(tooMany.content["application/problem+json"]).toBeDefined();
    expect(Object.keys(tooMany.headers).sort()).toEqual(["RateLimit", "RateLimit-Policy", "Retry-After"]);
    expect(doc.paths["/v1/recaps"].post.responses["413"]).toBeDefined();
  });

  it("documents the event batch and body size limits on POST /v1/events", async () => {
    const doc = (await call(t.app, "GET", "/openapi.json")).body;
    const events = doc.paths["/v1/events"].post;
    const bytes = t.deps.config.eventsBodyLimitBytes.toLocaleString("en");
    expect(events.description).toContain("10,000 events");
    expect(events.description).toContain(`${bytes} bytes`);
    expect(events.responses["413"].description).toContain(`${bytes} bytes`);
  });
});

describe("GCRA", () => {
  const policy = gcraPolicy("default", { perMinute: 600, burst: 600 });

  it("reads the remaining quota and the seconds until the burst is whole from the tat", () => {
    const now = 1_700_000_000_000_000;
    expect(policy).toMatchObject({ intervalUs: 100_000, toleranceUs: 60_000_000 });
    expect(verdict(policy, true, now + 100_000, now)).toMatchObject({ remaining: 599, windowSeconds: 1 });
    expect(verdict(policy, true, now + 60_000_000, now)).toMatchObject({ remaining: 0, windowSeconds: 60 });
    // Refused with a full bucket: the next request fits in one interval, rounded up to a second.
    expect(verdict(policy, false, now + 60_000_000, now)).toMatchObject({ remaining: 0, windowSeconds: 1 });
    expect(policyField([policy])).toBe('"default";q=600;w=60');
    expect(limitField([verdict(policy, true, now + 100_000, now)])).toBe('"default";r=599;t=1');
  });

  it("counts on the database's clock and deletes only rows whose tat has passed", async () => {
    const key = `test:${crypto.randomUUID()}`;
    const first = await countRequest(t.deps.sql, key, policy);
    expect(first.allowed).toBe(true);
    expect(first.tatUs - first.nowUs).toBe(policy.intervalUs);
    await t.deps.sql`
      insert into rate_limit_state (key, tat) values (${`${key}:old`}, now() - interval '1 second')
    `;
    expect(await purgeExpiredRateLimits(t.deps.sql)).toBeGreaterThanOrEqual(1);
    const left = await t.deps.sql<{ key: string }[]>`select key from rate_limit_state where key like ${`${key}%`}`;
    expect(left.map((row) => row.key)).toEqual([key]);
  });
});
