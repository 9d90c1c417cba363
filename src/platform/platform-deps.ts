import type postgres from "postgres";
import type { Config } from "../config.js";
import type { Clock } from "./clock.js";
import type { Database } from "./db/client.js";
import type { Logger } from "./logging.js";
import type { Metrics } from "./metrics/metrics.js";
import type { JobQueue } from "./queue/queue.js";

/**
 * What the platform's own middleware, routes and use cases need: the service's Deps (src/deps.ts)
 * is a superset, so the app passes its deps as they are, and platform/ names no feature's type.
 */
export type PlatformDeps = {
  config: Config;
  db: Database;
  sql: postgres.Sql;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
};
