import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from "vitest";
import { createDatabaseClient, type DatabaseClient } from "../../src/platform/db/client.js";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../src/platform/db/embedded-postgres.js";
import { createLogger } from "../../src/platform/logging.js";
import { createJobQueue, type JobQueue } from "../../src/platform/queue/queue.js";
import { createApiKey } from "../../src/platform/tenancy/api-keys.js";
import { tenants } from "../../src/platform/tenancy/tenancy.schema.js";
import { createTenant } from "../../src/platform/tenancy/tenants.js";
import {
  type HttpAnswer,
  httpRequest,
  type ServiceProcess,
  startService,
  until,
  waitUntilServing,
} from "./processes.js";

/**
 * PostgreSQL stopped and started again under a running `outcome-recap serve` (API and worker in
 * one process). This file runs its own PostgreSQL, since the shared test server serves every
 * other test file at the same time.
 */

vi.setConfig({ testTimeout: 180_000 });

let dataDir: string;
let postgres: EmbeddedDatabase;
let port: number;
let server: ServiceProcess;
let client: DatabaseClient;
let queue: JobQueue;
let key: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "outcome-recap-faults-"));
  postgres = await startEmbeddedPostgres(dataDir, { persistent: true });
  port = Number(new URL(postgres.url).port);
  // The service migrates the database and installs pg-boss's schema as it starts.
  server = await startService("serve", { DATABASE_URL: postgres.url, DATABASE_POOL_SIZE: "5" });
  await waitUntilServing(server);
  client = createDatabaseClient(postgres.url, { poolSize: 2 });
  queue = createJobQueue(postgres.url, createLogger("silent"), { background: false, poolSize: 2 });
  await queue.start([]);
  const tenant = await createTenant(client.db, queue, { name: "Outage Oy", slug: "outage" });
  key = (await createApiKey(client.db, { tenantId: tenant.id, name: "faults", scopes: ["recaps:read"] })).key;
});

afterAll(async () => {
  await server?.dispose();
  await queue?.stop().catch(() => {});
  await client?.close().catch(() => {});
  await postgres?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const listRecaps = () =>
  httpRequest(`${server.url}/v1/recaps`, { headers: { authorization: `Bearer ${key}` }, timeoutMs: 20_000 });
const readiness = () => httpRequest(`${server.url}/readyz`, { timeoutMs: 20_000 });

function expectUnavailable(answer: HttpAnswer) {
  expect(answer.status, answer.text).toBe(503);
  expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(answer.headers["retry-after"]).toBe("5");
  expect(JSON.parse(answer.text)).toMatchObject({ status: 503, code: "service_unavailable" });
}

describe("PostgreSQL restarted under the running service", () => {
  it("answers 503 problem+json while the database is down, and recovers without a restart", async () => {
    onTestFailed(() => console.log(server.diagnostics()));
    expect((await listRecaps()).status).toBe(200);
    expect((await readiness()).status).toBe(200);

    // Stopped under a burst of requests: each is answered, in full or with the 503 problem, though
    // connections the burst was opening die half-way (the unhandled rejection of porsager/postgres#1192).
    const burst = Array.from({ length: 12 }, () => listRecaps());
    await postgres.stop();
    for (const answer of await Promise.all(burst)) {
      if (answer.status !== 200) expectUnavailable(answer);
    }
    // While it is down, every request is answered at once (a refused connection, not a hang).
    for (let attempt = 0; attempt < 3; attempt++) {
      expectUnavailable(await listRecaps());
      expectUnavailable(await readiness());
    }
    expect(server.hasExited()).toBe(false);

    // Back on the same port: the same process answers again, without a restart.
    postgres = await startEmbeddedPostgres(dataDir, { persistent: true, port });
    await until("the API to answer again", async () => ((await listRecaps()).status === 200 ? true : undefined));
    expect(JSON.parse((await listRecaps()).text)).toMatchObject({ data: [] });
    await until("the service to be ready again", async () => ((await readiness()).status === 200 ? true : undefined));

    // pg-boss came back too: a job enqueued now runs in the worker of the same process.
    const later = await createTenant(client.db, queue, { name: "After Outage Oy", slug: "after-outage" });
    await until("the provisioning job to run after the outage", async () => {
      const [row] = await client.db
        .select({ provisionedAt: tenants.provisionedAt })
        .from(tenants)
        .where(eq(tenants.id, later.id));
      return row?.provisionedAt ?? undefined;
    });
    expect(server.logs.filter((line) => line.msg === "database unavailable").length).toBeGreaterThanOrEqual(3);

    // And it still shuts down cleanly.
    expect(server.hasExited()).toBe(false);
    server.child.kill("SIGTERM");
    expect(await server.exitedWithin(30_000)).toEqual({ code: 0, signal: null });
  });
});
