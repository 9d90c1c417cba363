import { createApp } from "./app.js";
import { lazyRenderer } from "./assets/lazy-renderer.js";
import { loadConfig } from "./config.js";
import type { Deps } from "./deps.js";
import { createDrafter } from "./drafting/drafters.js";
import { systemClock } from "./platform/clock.js";
import { createDatabaseClient } from "./platform/db/client.js";
import { createLogger } from "./platform/logging.js";
import { createMetrics } from "./platform/metrics/metrics.js";
import { createJobQueue } from "./platform/queue/queue.js";
import { createRenderer } from "./rendering/renderer.js";
import { createClickBuffer } from "./sharing/click-buffer.js";

/**
 * The service's OpenAPI document, exactly as `GET /openapi.json` serves it, without a database or a
 * port: the app is built from real but idle dependencies (postgres.js and pg-boss connect only on a
 * first query or start, and nothing here queries) and asked for the document in-process. The SDK's
 * types are generated from it, so they follow the routes and nothing else.
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  // The address is never dialled; the document's `servers` entry is the request's origin below.
  const unusedUrl = "postgres://openapi@127.0.0.1:1/openapi";
  const config = loadConfig({ LOG_LEVEL: "silent", DATABASE_URL: unusedUrl });
  const log = createLogger(config.logLevel);
  const client = createDatabaseClient(unusedUrl, { poolSize: 1 });
  const clicks = createClickBuffer({ db: client.db, clock: systemClock, log, flushMs: 60_000, visitorsPerAddress: 1 });
  const deps: Deps = {
    config,
    db: client.db,
    sql: client.sql,
    queue: createJobQueue(unusedUrl, log, { background: false }),
    clock: systemClock,
    log,
    drafter: createDrafter(config),
    renderer: lazyRenderer(() => createRenderer({ threads: 1 })),
    clicks,
    metrics: createMetrics({ sql: client.sql, clicks, log }),
  };
  try {
    const response = await createApp(deps).request("http://localhost:3000/openapi.json");
    if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await clicks.stop();
    await client.close();
  }
}
