import type { Hono } from "hono";
import { migrationsAreCurrent } from "../db/migrate.js";
import type { PlatformDeps } from "../platform-deps.js";
import type { AppEnv } from "./app-env.js";
import { problemResponse } from "./problem.js";

/** A readiness probe must answer quickly even when a dependency hangs instead of refusing. */
const CHECK_TIMEOUT_MS = 2000;

class TimedOut extends Error {}

function withTimeout<T>(work: PromiseLike<T>, ms = CHECK_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

/** What a probe shows about a failure: the kind only; the error itself goes to the log, not to the caller. */
function failure(error: unknown, otherwise: string): string {
  return error instanceof TimedOut ? `timed out after ${CHECK_TIMEOUT_MS} ms` : otherwise;
}

type Checks = Record<string, "ok" | string>;

/** Our pool answers `select 1`, and the schema has every migration this build needs. */
async function checkDatabase(deps: Pick<PlatformDeps, "sql" | "log">): Promise<Checks> {
  try {
    await withTimeout(deps.sql`select 1`);
  } catch (error) {
    deps.log.warn({ err: error }, "readiness: the database does not answer");
    return { database: failure(error, "unreachable") };
  }
  try {
    const current = await withTimeout(migrationsAreCurrent(deps.sql));
    return { database: "ok", migrations: current ? "ok" : "pending migrations" };
  } catch (error) {
    deps.log.warn({ err: error }, "readiness: reading the migrations failed");
    return { database: "ok", migrations: failure(error, "unknown") };
  }
}

/**
 * pg-boss is started (its own pool is open: it throws "Database not opened" otherwise) and its
 * schema answers through that pool, so jobs can be enqueued and fetched.
 */
async function checkQueue(deps: Pick<PlatformDeps, "queue" | "log">): Promise<Checks> {
  try {
    const version = await withTimeout(deps.queue.boss.schemaVersion());
    return { queue: version === null ? "schema not installed" : "ok" };
  } catch (error) {
    deps.log.warn({ err: error }, "readiness: the job queue does not answer");
    const notStarted = error instanceof Error && /not opened/i.test(error.message);
    return { queue: notStarted ? "not started" : failure(error, "unreachable") };
  }
}

export function registerHealthRoutes(app: Hono<AppEnv>, deps: PlatformDeps) {
  /** Liveness: the process is up and its event loop turns; says nothing about its dependencies. */
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  /** Ready for traffic: the database answers with every migration this build needs, and the job queue runs. */
  app.get("/readyz", async (c) => {
    const [database, queue] = await Promise.all([checkDatabase(deps), checkQueue(deps)]);
    const checks: Checks = { ...database, ...queue };
    const down = Object.keys(checks).filter((name) => checks[name] !== "ok");
    if (down.length === 0) return c.json({ status: "ready", checks });
    return problemResponse(c, {
      status: 503,
      code: "service_unavailable",
      detail: `Not ready for traffic: ${down.map((name) => `${name} ${checks[name]}`).join(", ")}.`,
      extensions: { checks },
      headers: { "retry-after": "5", "cache-control": "no-store" },
    });
  });
}
