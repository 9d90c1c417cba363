import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from "vitest";
import { tenants } from "../../src/platform/tenancy/tenancy.schema.js";
import { ASSET_KINDS } from "../../src/rendering/rendering.types.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeApiKey, makeTenant } from "../support/factories.js";
import { type FakeOpenAi, type FakeRequest, startFakeOpenAi } from "../support/fake-openai-server.js";
import { honestCopy } from "../support/honest-copy.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import {
  holdTableLock,
  httpRequest,
  lockWaiters,
  type ServiceProcess,
  startService,
  until,
  waitUntilServing,
} from "./processes.js";

/**
 * Faults in real processes (`outcome-recap worker` and `serve`, started as an operator would) on this
 * file's own database: a worker killed with SIGKILL in the middle of a draft and of a render, and a
 * server stopped with SIGTERM while a request and a job are in flight. The jobs are stopped at known
 * points without test hooks in the product: the draft waits on the (fake) model's answer, the render
 * and the request wait on a table lock the test holds.
 */

// Processes boot, jobs wait for a lost heartbeat: far more than vitest's default 30 s per test.
vi.setConfig({ testTimeout: 240_000 });

let t: TestContext;
let openai: FakeOpenAi;
let key: string;
let tenantId: string;
const services: ServiceProcess[] = [];

/** The worker's settings: the shortest heartbeat pg-boss allows, and a supervisor pass every second. */
const FAST_RECOVERY = { JOB_HEARTBEAT_SECONDS: "10", JOB_SUPERVISE_INTERVAL_SECONDS: "1" };

function serviceEnv(): Record<string, string> {
  return {
    DATABASE_URL: t.databaseUrl,
    DATABASE_POOL_SIZE: "5",
    OPENAI_API_KEY: "sk-test-faults",
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_MODEL: "test-model",
    OPENAI_MAX_RETRIES: "0",
    OPENAI_TIMEOUT_MS: "120000",
  };
}

async function start(command: "serve" | "worker", env: Record<string, string> = {}) {
  const service = await startService(command, { ...serviceEnv(), ...env });
  services.push(service);
  onTestFailed(() => console.log(service.diagnostics()));
  return service;
}

const honest = (request: FakeRequest) => ({ json: honestCopy(request) });

async function createRecap(account: string): Promise<string> {
  const created = await call(t.app, "POST", "/v1/recaps", { key, body: { account } });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return created.body.id;
}

async function recapState(id: string): Promise<string> {
  const [row] = await t.deps.sql<{ state: string }[]>`select state from recaps where id = ${id}`;
  return row?.state ?? "missing";
}

type JobRow = { id: string; name: string; state: string; retry_count: number; heartbeat_seconds: number | null };

async function jobsFor(recapId: string): Promise<JobRow[]> {
  return t.deps.sql<JobRow[]>`
    select id, name, state, retry_count, heartbeat_seconds from pgboss.job
    where name in ('recap.draft', 'recap.render') and data->>'recapId' = ${recapId}
    order by created_on`;
}

async function transitions(recapId: string) {
  return t.deps.sql<{ action: string; from_state: string; to_state: string; version: number }[]>`
    select action, from_state, to_state, version from recap_events where recap_id = ${recapId} order by version`;
}

async function activeJobs(): Promise<number> {
  const [row] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where state = 'active'`;
  return row?.n ?? 0;
}

beforeAll(async () => {
  openai = await startFakeOpenAi();
  t = await createTestContext();
  const tenant = await makeTenant(t.deps, { approvalPolicy: "auto_when_clean" });
  tenantId = tenant.id;
  key = (await makeApiKey(t.deps, tenant.id)).key;
  await seedDemoUsage(t.deps, tenant.id);
});

afterAll(async () => {
  for (const service of services) await service.dispose();
  await openai?.close();
  await t?.close();
});

describe("a worker killed with SIGKILL in the middle of a draft and a render", () => {
  it("leaves both jobs to a restarted worker, which completes each exactly once", async () => {
    const first = await start("worker", FAST_RECOVERY);
    await first.waitForLog((line) => line.msg === "worker started");

    // The render: recap B is drafted and approved at once (auto_when_clean), and its render job
    // renders the first card, then waits to record it in recap_assets, which the test keeps locked.
    const renderLock = await holdTableLock(t.deps.sql, "recap_assets");
    openai.reply(honest);
    const rendered = await createRecap("harbor-labs");
    const firstAsset = await until(
      "the render to stop at the locked recap_assets with one card rendered",
      async () => {
        const assets = await t.deps.sql<{ key: string; kind: string; created_at: Date }[]>`
          select key, kind, created_at from assets where tenant_id = ${tenantId}`;
        return assets.length === 1 && (await lockWaiters(t.deps.sql, "recap_assets")) > 0 ? assets[0] : undefined;
      },
      120_000,
    );
    expect(firstAsset.kind).toBe(ASSET_KINDS[0]);

    // The draft: recap A's call to the model is held until the worker is gone.
    openai.reply((request) => ({ json: honestCopy(request), delayMs: 600_000 }));
    const drafted = await createRecap("kide-analytics");
    await until("the draft to reach the model", async () => (openai.requests.length === 2 ? true : undefined));
    const [draftJob] = await jobsFor(drafted);
    const renderJob = (await jobsFor(rendered)).find((job) => job.name === "recap.render");
    expect(draftJob).toMatchObject({ state: "active", retry_count: 0, heartbeat_seconds: 10 });
    expect(renderJob).toMatchObject({ state: "active", retry_count: 0, heartbeat_seconds: 10 });

    first.child.kill("SIGKILL");
    expect(await first.exitedWithin(10_000)).toEqual({ code: null, signal: "SIGKILL" });
    await renderLock.release();
    openai.always(honest);

    const second = await start("worker", FAST_RECOVERY);
    // Both jobs are noticed by their stale heartbeat, retried once, and finish; recap A, approved
    // now, gets its own render too.
    const settled = await until(
      "both recaps' draft and render jobs to complete",
      async () => {
        const jobs = [...(await jobsFor(drafted)), ...(await jobsFor(rendered))];
        return jobs.length === 4 && jobs.every((job) => job.state === "completed") ? jobs : undefined;
      },
      120_000,
    );
    expect(settled.find((job) => job.id === draftJob?.id)?.retry_count).toBe(1);
    expect(settled.find((job) => job.id === renderJob?.id)?.retry_count).toBe(1);

    // The draft's effects happened once: one model call answered, one usage row, one transition.
    expect(await recapState(drafted)).toBe("approved");
    expect(openai.requests).toHaveLength(3); // B's draft, A's held one, A's retried one
    const [usage] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from llm_usage where recap_id = ${drafted}`;
    expect(usage?.n).toBe(1);
    for (const recapId of [drafted, rendered]) {
      const events = await transitions(recapId);
      expect(events.filter((event) => event.from_state === "drafting")).toEqual([
        expect.objectContaining({ action: "auto_approve", to_state: "approved" }),
      ]);
      expect(new Set(events.map((event) => event.version)).size).toBe(events.length);
    }

    // The render's: one asset per kind for each recap, each key stored once and every stored asset
    // in use (a retry that rendered under another key would leave one behind); the card stored
    // before the kill is the one kept.
    for (const recapId of [drafted, rendered]) {
      const rows = await t.deps.sql<{ kind: string; asset_key: string }[]>`
        select kind, asset_key from recap_assets where recap_id = ${recapId} order by kind`;
      expect(rows.map((row) => row.kind).sort()).toEqual([...ASSET_KINDS].sort());
    }
    const assets = await t.deps.sql<{ key: string; created_at: Date; copies: number }[]>`
      select key, min(created_at) as created_at, count(*)::int as copies from assets
      where tenant_id = ${tenantId} group by key`;
    expect(assets.every((asset) => asset.copies === 1)).toBe(true);
    expect(assets).toHaveLength(2 * ASSET_KINDS.length);
    const [linked] = await t.deps.sql<{ n: number }[]>`
      select count(distinct ra.asset_key)::int as n from recap_assets ra
      join recaps r on r.id = ra.recap_id where r.tenant_id = ${tenantId}`;
    expect(linked?.n).toBe(assets.length);
    expect(assets.find((asset) => asset.key === firstAsset.key)?.created_at).toEqual(firstAsset.created_at);

    // SIGTERM: the restarted worker stops cleanly, and leaves no job active.
    second.child.kill("SIGTERM");
    expect(await second.exitedWithin(30_000)).toEqual({ code: 0, signal: null });
    expect(await activeJobs()).toBe(0);
    const instances = await t.deps.sql<{ pid: number; stopped: boolean }[]>`
      select pid, stopped_on is not null as stopped from pgboss.instance`;
    expect(instances.find((instance) => instance.pid === second.child.pid)?.stopped).toBe(true);
  });
});

describe("serve stopped with SIGTERM", () => {
  it("finishes the request and the job in flight, stops pg-boss and exits 0", async () => {
    await t.deps.db.update(tenants).set({ approvalPolicy: "manual" }).where(eq(tenants.id, tenantId));
    const server = await start("serve");
    await waitUntilServing(server);
    const auth = { authorization: `Bearer ${key}` };

    // A job in flight: a draft whose model answers only when the test says so.
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const before = openai.requests.length;
    openai.reply((request) => answered.then(() => honest(request)));
    const created = await httpRequest(`${server.url}/v1/recaps`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ account: "nordlicht-gmbh" }),
    });
    expect(created.status, created.text).toBe(202);
    const recapId = JSON.parse(created.text).id as string;
    await until("the draft to reach the model", async () => (openai.requests.length > before ? true : undefined));

    // A request in flight: an events batch waiting on a lock of usage_events.
    const eventsLock = await holdTableLock(t.deps.sql, "usage_events");
    const events = Array.from({ length: 50 }, (_, index) => ({
      account: "nordlicht-gmbh",
      event: "automation.run",
      quantity: 1,
      occurred_at: new Date(Date.now() - index * 60_000).toISOString(),
      event_id: `sigterm-${index}`,
    }));
    const inFlight = fetch(`${server.url}/v1/events`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ events }),
    });
    await until("the events request to wait on the lock", async () =>
      (await lockWaiters(t.deps.sql, "usage_events")) > 0 ? true : undefined,
    );

    server.child.kill("SIGTERM");
    // It stops taking new connections at once...
    await until("the server to refuse new connections", () =>
      httpRequest(`${server.url}/healthz`, { timeoutMs: 5_000 }).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => (error.code === "ECONNREFUSED" ? true : undefined),
      ),
    );
    expect(server.hasExited()).toBe(false);

    // ...and the request in flight still gets its whole answer.
    await eventsLock.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 50, inserted: 50, duplicates: 0 });
    answer();

    // pg-boss waits up to 10 s for running jobs; the whole stop is well within 30 s.
    expect(await server.exitedWithin(30_000)).toEqual({ code: 0, signal: null });
    expect(server.logs.some((line) => line.msg === "stopped")).toBe(true);
    const [stored] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from usage_events where event_id like 'sigterm-%'`;
    expect(stored?.n).toBe(50);
    // The draft finished during the graceful stop, and pg-boss marked itself stopped.
    expect(await recapState(recapId)).toBe("pending_review");
    expect((await jobsFor(recapId)).map((job) => job.state)).toEqual(["completed"]);
    expect(await activeJobs()).toBe(0);
    const instances = await t.deps.sql<{ pid: number; stopped: boolean }[]>`
      select pid, stopped_on is not null as stopped from pgboss.instance`;
    expect(instances.find((instance) => instance.pid === server.child.pid)?.stopped).toBe(true);
  });
});
