import { createApp } from "./app.js";
import { lazyRenderer } from "./assets/lazy-renderer.js";
import type { Config } from "./config.js";
import type { Deps } from "./deps.js";
import { createDrafter } from "./drafting/drafters.js";
import { jobDefinitions, SCHEDULES } from "./jobs.js";
import { systemClock } from "./platform/clock.js";
import { createDatabaseClient } from "./platform/db/client.js";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "./platform/db/embedded-postgres.js";
import { runMigrations } from "./platform/db/migrate.js";
import { serveHttpApp } from "./platform/http/http-server.js";
import { createLogger, type Logger } from "./platform/logging.js";
import { createMetrics } from "./platform/metrics/metrics.js";
import { createJobQueue } from "./platform/queue/queue.js";
import { createRenderer } from "./rendering/renderer.js";
import { createClickBuffer } from "./sharing/click-buffer.js";

export type Runtime = Deps & {
  /** The embedded server, when DATABASE_URL was not given. */
  embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
};

/** Resolves the database (embedded when no URL is configured) and migrates it. */
export async function prepareDatabase(config: Config, log: Logger) {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log.info({ dataDir: config.dataDir }, "DATABASE_URL is not set: starting the embedded PostgreSQL");
    embedded = await startEmbeddedPostgres(config.dataDir, {
      ...config.embeddedPostgres,
      log: (line) => log.debug({ postgres: line }),
    });
    databaseUrl = embedded.url;
  }
  try {
    await runMigrations(databaseUrl);
  } catch (error) {
    await embedded?.stop(); // do not leave a server behind for a start that failed
    throw error;
  }
  return { databaseUrl, embedded };
}

/** The composition root: builds every dependency from the configuration. */
export async function createRuntime(
  config: Config,
  options: { log?: Logger; background?: boolean } = {},
): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  for (const warning of config.warnings) log.warn(warning);
  const { databaseUrl, embedded } = await prepareDatabase(config, log);
  const { db, sql, close: closeDb } = createDatabaseClient(databaseUrl, { poolSize: config.databasePoolSize });
  const queue = createJobQueue(databaseUrl, log, { background: options.background ?? true, ...config.jobs });
  const renderer = lazyRenderer(() => createRenderer());
  const clicks = createClickBuffer({
    db,
    clock: systemClock,
    log,
    flushMs: config.sharing.clickFlushMs,
    visitorsPerAddress: config.sharing.visitorsPerAddressPerHour,
  });
  const deps: Deps = {
    config,
    db,
    sql,
    queue,
    clock: systemClock,
    log,
    drafter: createDrafter(config),
    renderer,
    clicks,
    metrics: createMetrics({ sql, clicks, log }),
  };
  try {
    await queue.start(jobDefinitions(deps));
  } catch (error) {
    await clicks.stop().catch(() => {});
    await closeDb();
    await embedded?.stop();
    throw error;
  }
  return {
    ...deps,
    embedded,
    async close() {
      // Clicks answered before shutdown are written before the database goes away.
      await clicks.stop().catch((error) => log.error({ err: error }, "flushing clicks at shutdown failed"));
      await queue.stop();
      await renderer.close();
      await closeDb();
      await embedded?.stop();
    },
  };
}

/** Runs the job handlers in this process and keeps the recurring schedules registered. */
export async function startWorker(deps: Deps) {
  await deps.queue.work(jobDefinitions(deps));
  for (const { name, cron } of SCHEDULES) await deps.queue.boss.schedule(name, cron);
}

/** Serves the API until SIGINT/SIGTERM, then lets in-flight requests finish before closing. */
export function serveHttp(deps: Deps, onClose: () => Promise<void>) {
  const app = createApp(deps);
  const server = serveHttpApp(app.fetch, {
    port: deps.config.port,
    hostname: deps.config.host,
    timeouts: deps.config.http,
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, "shutting down: finishing in-flight requests");
    server.close(async () => {
      // Every answered redirect's click is in the buffer now: write it before onClose closes the DB.
      await deps.clicks.flush().catch((error) => deps.log.error({ err: error }, "flushing clicks failed"));
      await onClose();
      deps.log.info("stopped");
      process.exit(0);
    });
    // Idle keep-alive connections would hold close() open.
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  return server;
}
