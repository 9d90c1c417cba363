import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import postgres from "postgres";
import { inject } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { lazyRenderer } from "../../src/assets/lazy-renderer.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { Deps } from "../../src/deps.js";
import type { Drafter } from "../../src/drafting/drafter.types.js";
import { createDrafter } from "../../src/drafting/drafters.js";
import { jobDefinitions } from "../../src/jobs.js";
import { type Clock, systemClock } from "../../src/platform/clock.js";
import { createDatabaseClient } from "../../src/platform/db/client.js";
import { createLogger } from "../../src/platform/logging.js";
import { createMetrics } from "../../src/platform/metrics/metrics.js";
import { createJobQueue } from "../../src/platform/queue/queue.js";
import { createRenderer } from "../../src/rendering/renderer.js";
import type { Renderer } from "../../src/rendering/rendering.types.js";
import { createClickBuffer } from "../../src/sharing/click-buffer.js";
import { databaseUrl } from "./database-url.js";

export type TestContext = {
  deps: Deps;
  app: App;
  /** URL of this file's own database. */
  databaseUrl: string;
  /** Starts the job workers in this process (most tests only enqueue). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
};

/** A fresh database for one test file, cloned from the migrated template, and the real deps on it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${inject("templateDatabase")}`);
  return {
    url: databaseUrl(adminUrl, name),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function createTestContext(
  options: { env?: Record<string, string>; clock?: Clock; drafter?: Drafter; renderer?: Renderer } = {},
): Promise<TestContext> {
  const database = await createTestDatabase();
  const config: Config = loadConfig({ LOG_LEVEL: "silent", DATABASE_URL: database.url, ...options.env });
  const log = createLogger(config.logLevel);
  const client = createDatabaseClient(database.url, { poolSize: 5 });
  // pg-boss's shortest poll: a worker that just finished a job picks up the next step sooner.
  const queue = createJobQueue(database.url, log, { background: false, poolSize: 3, pollingIntervalSeconds: 0.5 });
  const clock = options.clock ?? systemClock;
  const clicks = createClickBuffer({
    db: client.db,
    clock,
    log,
    flushMs: config.sharing.clickFlushMs,
    visitorsPerAddress: config.sharing.visitorsPerAddressPerHour,
  });
  const deps: Deps = {
    config,
    db: client.db,
    sql: client.sql,
    queue,
    clock,
    log,
    drafter: options.drafter ?? createDrafter(config),
    renderer: options.renderer ?? lazyRenderer(() => createRenderer({ threads: 1 })),
    clicks,
    metrics: createMetrics({ sql: client.sql, clicks, log }),
  };
  await queue.start(jobDefinitions(deps));
  return {
    deps,
    app: createApp(deps),
    databaseUrl: database.url,
    startWorkers: () => queue.work(jobDefinitions(deps)),
    async close() {
      await deps.clicks.stop();
      await queue.stop();
      await deps.renderer.close();
      await client.close();
      await database.drop();
    },
  };
}

/** Serves an app on a free loopback port, for the tests that need a real socket. */
export async function listen(app: App): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
