import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createApp } from "../src/app.js";
import type { Config } from "../src/config.js";
import { loadConfig } from "../src/config.js";
import { seedDemoUsage } from "../src/demo/demo-usage.js";
import { createDeps, type Deps, type DepsOverrides } from "../src/deps.js";
import { createTemplateDrafter } from "../src/drafting/template-drafter.js";
import { jobDefinitions } from "../src/jobs.js";
import { SCOPES } from "../src/platform/auth/scopes.js";
import { startEmbeddedPostgres } from "../src/platform/db/embedded-postgres.js";
import { runMigrations } from "../src/platform/db/migrate.js";
import { createApiKey } from "../src/platform/tenancy/api-keys.js";
import { createTenant } from "../src/platform/tenancy/tenants.js";

/** One figure beside its baseline from the same run. */
export type BenchRow = {
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baselineValue: number;
  /** value ÷ baseline for throughputs; baseline ÷ value for times, so above 1 is always "faster". */
  ratio: number;
  aim?: string;
};

/**
 * A throwaway database (BENCH_DATABASE_URL's server, or an embedded one) with real deps on it.
 * `env` adds configuration (e.g. rate limits off); `overrides` replaces dependencies (e.g. the clock).
 */
export async function benchDeps(
  options: { env?: Record<string, string>; overrides?: DepsOverrides } = {},
): Promise<{ deps: Deps; config: Config; postgresDataDir: string | null; close(): Promise<void> }> {
  let stopServer = async () => {};
  let dataDir: string | undefined;
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), "outcome-recap-bench-"));
    const embedded = await startEmbeddedPostgres(dataDir, { persistent: false });
    serverUrl = embedded.url;
    stopServer = embedded.stop;
  }
  const name = `bench_${Date.now().toString(36)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  const config = loadConfig({ LOG_LEVEL: "silent", DATABASE_URL: url.toString(), PORT: "0", ...options.env });
  const { deps, close: closeDeps } = createDeps(config, {
    drafter: createTemplateDrafter(),
    poolSize: 8,
    queue: { background: false },
    ...options.overrides,
  });
  await deps.queue.start(jobDefinitions(deps));
  return {
    deps,
    config,
    postgresDataDir: dataDir ?? null,
    async close() {
      await closeDeps();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
      await stopServer();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** Reads until `done` says so, or gives the last value after `ms` (the caller checks it). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A tenant with the demo's usage and its workers started, one recap of harbor-labs drafted,
 * approved and published through the API, and its renders finished (a measurement should not share
 * the cores with a render). `api` calls the app with the tenant's key.
 */
export async function publishedBenchRecap(deps: Deps, tenantInput: { name: string; slug: string; signupUrl?: string }) {
  const tenant = await createTenant(deps.db, deps.queue, tenantInput);
  const { key } = await createApiKey(deps.db, { tenantId: tenant.id, name: "bench", scopes: [...SCOPES] });
  await seedDemoUsage(deps, tenant.id);
  await deps.queue.work(jobDefinitions(deps));
  const app = createApp(deps);
  const api = benchApi(app, key);
  const created = await api("POST", "/v1/recaps", { account: "harbor-labs" });
  const id = String(created.body.id);
  const pending = await waitFor(
    () => api("GET", `/v1/recaps/${id}`),
    (recap) => recap.body.state === "pending_review",
  );
  const approved = await api("POST", `/v1/recaps/${id}/approve`, {}, { "if-match": pending.etag });
  const published = await api("POST", `/v1/recaps/${id}/publish`, {}, { "if-match": approved.etag });
  if (published.body.state !== "published") throw new Error(`could not publish: ${JSON.stringify(published.body)}`);
  return { tenant, app, api, id, rendersDone: () => rendersDone(deps) };
}

/** Waits until no render job is queued or running. */
export async function rendersDone(deps: Deps): Promise<void> {
  await waitFor(
    async () =>
      deps.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job
        where name = 'recap.render' and state in ('created', 'retry', 'active')`,
    (rows) => rows[0]?.n === 0,
  );
}

/** Calls the app in this process with a tenant's API key; answers the ETag and the JSON body. */
export function benchApi(app: { request: ReturnType<typeof createApp>["request"] }, key: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { etag: response.headers.get("etag") ?? "", body: (await response.json()) as Record<string, never> };
  };
}

/**
 * CPU seconds used so far by this process (all its threads) and by the PostgreSQL server whose
 * data directory is `postgresDataDir` (its postmaster and every backend; Linux /proc only, null
 * elsewhere or for a server given by URL). Differences over a phase tell where its time went, and
 * unlike wall time they hardly change when other work shares the machine.
 */
export async function cpuSeconds(postgresDataDir: string | null): Promise<{ node: number; postgres: number | null }> {
  const usage = process.cpuUsage();
  const node = (usage.user + usage.system) / 1e6;
  if (!postgresDataDir || process.platform !== "linux") return { node, postgres: null };
  const { readdir, readFile } = await import("node:fs/promises");
  const processes = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // "pid (comm) state ppid …": after the comm, ppid is the 2nd field, utime and stime the 12th and 13th.
    const close = stat.lastIndexOf(")");
    if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
    const fields = stat.slice(close + 2).split(" ");
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    processes.push({
      pid: Number(entry),
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      ours: cmdline.includes(postgresDataDir),
    });
  }
  const postmasters = new Set(processes.filter((entry) => entry.ours).map((entry) => entry.pid));
  const ticks = processes
    .filter((entry) => postmasters.has(entry.pid) || postmasters.has(entry.ppid))
    .reduce((sum, entry) => sum + entry.ticks, 0);
  return { node, postgres: ticks / 100 }; // USER_HZ ticks
}
