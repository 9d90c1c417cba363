import type postgres from "postgres";
import type { Config } from "./config.js";
import type { Drafter } from "./drafting/drafter.types.js";
import type { Clock } from "./platform/clock.js";
import type { Database } from "./platform/db/client.js";
import type { Logger } from "./platform/logging.js";
import type { Metrics } from "./platform/metrics/metrics.js";
import type { JobQueue } from "./platform/queue/queue.js";
import type { Renderer } from "./rendering/rendering.types.js";
import type { ClickBuffer } from "./sharing/click-buffer.js";

/** Everything a route, a job or a CLI command needs from the outside world. */
export type Deps = {
  config: Config;
  db: Database;
  sql: postgres.Sql;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  /** Writes recap copy: the OpenAI-compatible drafter when configured, else the template drafter. */
  drafter: Drafter;
  /** Cards and PDFs, on worker threads. */
  renderer: Renderer;
  /** Share-link clicks, written in batches off the redirect's hot path; flushed on shutdown. */
  clicks: ClickBuffer;
  /** Prometheus metrics, in this process's own registry (served at /metrics). */
  metrics: Metrics;
};
