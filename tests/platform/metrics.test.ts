import { createServer } from "node:net";
import { Writable } from "node:stream";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import type { Deps } from "../../src/deps.js";
import { createOpenAiDrafter } from "../../src/drafting/openai-drafter.js";
import type { Database } from "../../src/platform/db/client.js";
import { createLogger } from "../../src/platform/logging.js";
import { createJobQueue } from "../../src/platform/queue/queue.js";
import { deliverWebhook } from "../../src/webhooks/deliver.job.js";
import { emitWebhookEvent } from "../../src/webhooks/emit.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { DEFAULT_USAGE, type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai-server.js";
import { honestCopy } from "../support/honest-copy.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

/**
 * /metrics, /readyz and request ids end to end: requests, a recap drafted by the real openai client
 * against a test server, its cards rendered on approval, a webhook that cannot be delivered, and a
 * scrape that must show all of it with bounded labels.
 */

const TOKEN = "metrics-token-for-tests-0123456789";
const UNUSED_QUEUE = "metrics-test-idle";

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The text exposition format, sample lines only. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[label[1] as string] = (label[2] as string).replace(/\\(.)/g, "$1");
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return find(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}

async function scrape(): Promise<Sample[]> {
  const response = await t.app.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A logger whose JSON lines land in `lines`. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger("info", { destination }), lines };
}

let t: TestContext;
let openai: FakeOpenAi;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;
let recapId: string;

async function waitFor(read: () => Promise<unknown>, want: unknown, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while ((await read()) !== want) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${String(want)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  openai = await startFakeOpenAi();
  openai.reply((request) => ({ json: honestCopy(request) }));
  t = await createTestContext({
    env: {
      OPENAI_API_KEY: "sk-test-metrics",
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_MODEL: "test-model",
      METRICS_TOKEN: TOKEN,
      WEBHOOKS_ALLOW_INSECURE: "true",
    },
    drafter: createOpenAiDrafter({
      apiKey: "sk-test-metrics",
      baseURL: openai.baseURL,
      model: "test-model",
      timeoutMs: 2_000,
      maxRetries: 0,
    }),
  });
  t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
  tenant = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, tenant.tenant.id);
  await t.startWorkers();
  await call(t.app, "PATCH", "/v1/tenant", { key: tenant.key, body: { approvalPolicy: "auto_when_clean" } });
  const created = await call(t.app, "POST", "/v1/recaps", { key: tenant.key, body: { account: "kide-analytics" } });
  expect(created.status, created.text).toBe(202);
  recapId = created.body.id;
  const assets = async () =>
    (await call(t.app, "GET", `/v1/recaps/${recapId}/assets`, { key: tenant.key })).body.data?.length;
  await waitFor(assets, 4, 60_000);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await openai?.close();
});

describe("GET /metrics", () => {
  it("shows request latency by route pattern: two recap ids make one series", async () => {
    const other = "00000000-0000-4000-8000-000000000000";
    expect((await call(t.app, "GET", `/v1/recaps/${recapId}`, { key: tenant.key })).status).toBe(200);
    expect((await call(t.app, "GET", `/v1/recaps/${other}`, { key: tenant.key })).status).toBe(404);
    expect((await call(t.app, "GET", "/no/such/path/42")).status).toBe(404);
    const samples = await scrape();

    const routes = new Set(find(samples, "http_request_duration_seconds_count").map((s) => s.labels.route));
    expect(routes).toContain("/v1/recaps/:id");
    expect(routes).toContain("/v1/recaps/:id/assets");
    expect(routes).toContain("unmatched");
    for (const route of routes) {
      expect(route).not.toContain(recapId);
      expect(route).not.toContain(other);
      expect(route).not.toContain("/42");
    }
    const byId = find(samples, "http_request_duration_seconds_count", { method: "GET", route: "/v1/recaps/:id" });
    expect(byId.map((s) => s.labels.status).sort()).toEqual(["200", "404"]);
    expect(value(samples, "http_request_duration_seconds_count", { route: "/v1/recaps/:id", status: "404" })).toBe(1);
    const sum = value(samples, "http_request_duration_seconds_sum", { route: "/v1/recaps/:id", status: "200" });
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(30);
    // A 401 answered by the auth middleware is still filed under the endpoint it guarded.
    await call(t.app, "GET", `/v1/recaps/${recapId}`, { key: "ork_wrong" });
    expect(
      value(await scrape(), "http_request_duration_seconds_count", { route: "/v1/recaps/:id", status: "401" }),
    ).toBe(1);
  });

  it("counts problem responses by code", async () => {
    const samples = await scrape();
    expect(value(samples, "http_problems_total", { code: "not_found", status: "404" })).toBeGreaterThanOrEqual(2);
  });

  it("shows the draft: drafter latency by drafter and outcome, and the tokens and dollars it spent", async () => {
    const samples = await scrape();
    expect(value(samples, "drafter_duration_seconds_count", { drafter: "openai", outcome: "ok" })).toBe(1);
    expect(value(samples, "drafter_duration_seconds_sum", { drafter: "openai", outcome: "ok" })).toBeGreaterThan(0);
    expect(value(samples, "llm_tokens_total", { model: "test-model", type: "prompt" })).toBe(
      DEFAULT_USAGE.prompt_tokens,
    );
    expect(value(samples, "llm_tokens_total", { model: "test-model", type: "completion" })).toBe(
      DEFAULT_USAGE.completion_tokens,
    );
    // The default prices: $0.15 and $0.60 per million tokens.
    const cost = (DEFAULT_USAGE.prompt_tokens * 0.15 + DEFAULT_USAGE.completion_tokens * 0.6) / 1e6;
    expect(value(samples, "llm_cost_usd_total", { model: "test-model" })).toBeCloseTo(cost, 9);
  });

  it("shows render time for each asset kind the approval rendered", async () => {
    const samples = await scrape();
    for (const kind of ["linkedin", "square", "story", "pdf"]) {
      expect(value(samples, "render_duration_seconds_count", { kind, outcome: "ok" }), kind).toBe(1);
      const seconds = value(samples, "render_duration_seconds_sum", { kind, outcome: "ok" });
      expect(seconds, kind).toBeGreaterThan(0);
      expect(seconds, kind).toBeLessThan(60);
    }
  });

  it("counts jobs by queue and state at scrape time, with the age of the oldest ready one", async () => {
    await t.deps.queue.boss.createQueue(UNUSED_QUEUE);
    await t.deps.queue.enqueue(UNUSED_QUEUE, { n: 1 });
    await t.deps.queue.enqueue(UNUSED_QUEUE, { n: 2 });
    await t.deps.queue.enqueue(UNUSED_QUEUE, { n: 3 }, { startAfter: new Date(Date.now() + 3_600_000) });
    const samples = await scrape();
    expect(value(samples, "jobs", { queue: UNUSED_QUEUE, state: "created" })).toBe(2);
    expect(value(samples, "jobs", { queue: UNUSED_QUEUE, state: "deferred" })).toBe(1);
    const age = value(samples, "jobs_ready_oldest_seconds", { queue: UNUSED_QUEUE });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    // The draft and render jobs have finished: nothing of theirs is waiting or running.
    expect(value(samples, "jobs", { queue: "recap.render", state: "active" })).toBe(0);
    expect(value(samples, "metrics_collect_failures_total", { collector: "jobs" })).toBe(0);
  });

  it("shows the click buffer's depth and the process's default metrics", async () => {
    const samples = await scrape();
    expect(find(samples, "click_buffer_depth")).toEqual([{ name: "click_buffer_depth", labels: {}, value: 0 }]);
    expect(value(samples, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(find(samples, "nodejs_eventloop_lag_seconds")).toHaveLength(1);
  });

  it("counts a webhook attempt that fails, by reason", async () => {
    const port = await closedPort();
    const endpoint = await call(t.app, "POST", "/v1/webhooks", {
      key: tenant.key,
      body: { url: `http://127.0.0.1:${port}/hook`, events: ["recap.approved"] },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    const { messageId } = await t.deps.db.transaction((tx) =>
      emitWebhookEvent(t.deps, tx, tenant.tenant.id, "recap.approved", { recapId: "r-metrics" }),
    );
    const before = value(await scrape(), "webhook_delivery_failures_total", { reason: "network" });
    await deliverWebhook(
      t.deps,
      {
        tenantId: tenant.tenant.id,
        endpointId: endpoint.body.id,
        messageId: messageId as string,
        attempt: 1,
        oneOff: "manual",
      },
      null,
      { timeoutMs: 2_000 },
    );
    const samples = await scrape();
    expect(value(samples, "webhook_delivery_failures_total", { reason: "network" })).toBeGreaterThanOrEqual(before + 1);
    expect(value(samples, "webhook_deliveries_total", { result: "failed" })).toBeGreaterThanOrEqual(1);
  });

  it("takes the token as a bearer token and refuses a missing or wrong one with a 401 problem", async () => {
    const ok = await t.app.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(ok.headers.get("x-request-id")).toBeTruthy();
    const missing = await call(t.app, "GET", "/metrics");
    expectProblem(missing, 401, "unauthorized");
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expectProblem(await call(t.app, "GET", "/metrics", { key: `${TOKEN}x` }), 401, "unauthorized");
    expectProblem(await call(t.app, "GET", "/metrics", { key: tenant.key }), 401, "unauthorized");
    expectProblem(
      await call(t.app, "GET", "/metrics", { headers: { authorization: `Basic ${TOKEN}` } }),
      401,
      "unauthorized",
    );
  });

  it("without a token, answers only direct requests from loopback", async () => {
    const open = createApp({ ...t.deps, config: { ...t.deps.config, metricsToken: undefined } });
    // In-process requests have no peer address, like a remote one: refused.
    expectProblem(await call(open, "GET", "/metrics"), 403, "forbidden");
    const server = await listen(open);
    try {
      const direct = await fetch(`${server.url}/metrics`);
      expect(direct.status).toBe(200);
      expect(await direct.text()).toContain("# TYPE http_request_duration_seconds histogram");
      const proxied = await fetch(`${server.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      expect(proxied.status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it("is not in the tenants' OpenAPI document", async () => {
    const document = await call(t.app, "GET", "/openapi.json");
    expect(Object.keys(document.body.paths)).not.toContain("/metrics");
  });

  it("refuses a METRICS_TOKEN that is short or not a bearer token, naming the variable", () => {
    for (const bad of ["short", "has spaces in it, sixteen+", "ünïcödé-characters-here"]) {
      expect(() => loadConfig({ METRICS_TOKEN: bad })).toThrowError(ConfigError);
      try {
        loadConfig({ METRICS_TOKEN: bad });
      } catch (error) {
        expect((error as ConfigError).issues.map((issue) => issue.variable)).toEqual(["METRICS_TOKEN"]);
      }
    }
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(loadConfig({}).metricsToken).toBeUndefined();
  });
});

describe("GET /readyz", () => {
  it("is ready when the database, its migrations and the job queue all answer", async () => {
    const response = await call(t.app, "GET", "/readyz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", queue: "ok" } });
  });

  it("answers 503 naming the database and the queue when the database cannot be reached", async () => {
    const port = await closedPort();
    const url = `postgres://nobody:nothing@127.0.0.1:${port}/nowhere`;
    const sql = postgres(url, { max: 1, connect_timeout: 1, onnotice: () => {} });
    const { log, lines } = capturingLogger();
    const down: Deps = {
      ...t.deps,
      log,
      sql,
      db: drizzle(sql) as unknown as Database,
      queue: createJobQueue(url, log, { background: false }),
    };
    try {
      const response = await call(createApp(down), "GET", "/readyz");
      const problem = expectProblem(response, 503, "service_unavailable");
      expect(problem.checks).toEqual({ database: "unreachable", queue: "not started" });
      expect(problem.detail).toBe("Not ready for traffic: database unreachable, queue not started.");
      expect(response.headers.get("retry-after")).toBe("5");
      // Nothing about the infrastructure reaches an unauthenticated caller.
      expect(response.text).not.toContain(String(port));
      // Every line logged while the request ran carries its id, the one the response names.
      const requestId = response.headers.get("x-request-id");
      expect(requestId).toBeTruthy();
      expect(problem.requestId).toBe(requestId);
      const warnings = lines.filter((line) => String(line.msg).startsWith("readiness:"));
      expect(warnings.length).toBe(2);
      for (const line of warnings) expect(line.requestId).toBe(requestId);
      expect(lines.find((line) => line.msg === "request")).toMatchObject({ requestId, route: "/readyz", status: 503 });
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it("answers 503 naming only the queue when the database answers but the queue is stopped", async () => {
    const stopped = createJobQueue(t.databaseUrl, t.deps.log, { background: false });
    const response = await call(createApp({ ...t.deps, queue: stopped }), "GET", "/readyz");
    const problem = expectProblem(response, 503, "service_unavailable");
    expect(problem.checks).toEqual({ database: "ok", migrations: "ok", queue: "not started" });
  });

  it("keeps /healthz cheap: it answers without asking the database", async () => {
    const port = await closedPort();
    const sql = postgres(`postgres://x:y@127.0.0.1:${port}/z`, { max: 1, connect_timeout: 1 });
    try {
      const response = await call(createApp({ ...t.deps, sql }), "GET", "/healthz");
      expect(response.status).toBe(200);
      expect(response.headers.get("x-request-id")).toBeTruthy();
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
