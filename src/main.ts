import { createApp } from "./app.js";
import type { Config } from "./config.js";
import { createDeps, type Deps } from "./deps.js";
import { jobDefinitions, SCHEDULES } from "./jobs.js";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "./platform/db/embedded-postgres.js";
import { runMigrations } from "./platform/db/migrate.js";
import { serveHttpApp } from "./platform/http/http-server.js";
import { createLogger, type Logger } from "./platform/logging.js";

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
  const { deps, close } = createDeps(
    { ...config, databaseUrl },
    { log, queue: { background: options.background ?? true } },
  );
  try {
    await deps.queue.start(jobDefinitions(deps));
  } catch (error) {
    await close();
    await embedded?.stop();
    throw error;
  }
  return {
    ...deps,
    embedded,
    async close() {
      await close();
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
