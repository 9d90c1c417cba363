import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { Config } from "../src/config.js";
import { loadConfig } from "../src/config.js";
import { createDeps, type Deps, type DepsOverrides } from "../src/deps.js";
import { createTemplateDrafter } from "../src/drafting/template-drafter.js";
import { jobDefinitions } from "../src/jobs.js";
import { startEmbeddedPostgres } from "../src/platform/db/embedded-postgres.js";
import { runMigrations } from "../src/platform/db/migrate.js";

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
): Promise<{ deps: Deps; config: Config; close(): Promise<void> }> {
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
