import type postgres from "postgres";
import { lazyRenderer } from "./assets/lazy-renderer.js";
import { createPublicAssetCache, type PublicAssetCache } from "./assets/public-asset-cache.js";
import { createPublicVerdicts, forgetVerdictsOnChange, type PublicVerdicts } from "./assets/public-verdicts.js";
import { renderOnApprovalOrPublication } from "./assets/render-on-change.js";
import type { ShareUrlLookup } from "./assets/share-url.js";
import type { Config } from "./config.js";
import type { Drafter } from "./drafting/drafter.types.js";
import { createDrafter } from "./drafting/drafters.js";
import { pooledTemplateDrafting } from "./drafting/drafting-pool.js";
import { createTemplateDrafter } from "./drafting/template-drafter.js";
import { inlineTemplateDrafting, type TemplateDrafting } from "./drafting/template-drafting.js";
import { emailCustomerOnApproval } from "./mail/customer-email.job.js";
import { evaluateMomentsOnNewEvents } from "./moments/evaluate.js";
import { type Clock, systemClock } from "./platform/clock.js";
import { createDatabaseClient, type Database } from "./platform/db/client.js";
import { createLogger, type Logger } from "./platform/logging.js";
import { createMetrics, type Metrics } from "./platform/metrics/metrics.js";
import { createJobQueue, type JobQueue, type JobQueueOptions } from "./platform/queue/queue.js";
import type { RecapReaction } from "./recaps/recap-reactions.js";
import { createRenderer } from "./rendering/renderer.js";
import type { Renderer } from "./rendering/rendering.types.js";
import { type ClickBuffer, createClickBuffer } from "./sharing/click-buffer.js";
import { type CacheRegistry, createCacheRegistry } from "./sharing/link-cache.js";
import { canonicalShareUrl } from "./sharing/share-links.js";
import type { UsageReaction } from "./usage/usage-reactions.js";
import { emitRecapWebhook } from "./webhooks/recap-webhooks.js";

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
  /** The offline templates: the drafter's fallback when the model fails or the budget is spent. */
  templateDrafter: Drafter;
  /** Template copy written and fact-checked off the event loop (DRAFT_THREADS), when no LLM drafts. */
  templateDrafting: TemplateDrafting;
  /** Cards and PDFs, on worker threads. */
  renderer: Renderer;
  /** Share-link clicks, written in batches off the redirect's hot path; flushed on shutdown. */
  clicks: ClickBuffer;
  /** This instance's share-link caches, so an erasure drops its codes from all of them at once. */
  caches: CacheRegistry;
  /** Recently served public asset bytes (bounded by PUBLIC_ASSET_CACHE_MB); visibility is checked per request. */
  publicAssets: PublicAssetCache;
  /** Public asset keys recently found published, forgotten when the database notifies a take-down. */
  publicVerdicts: PublicVerdicts;
  /** A recap's canonical share URL, for the QR code on its PDF (sharing/ provides it to assets/). */
  shareUrlOf: ShareUrlLookup;
  /** Prometheus metrics, in this process's own registry (served at /metrics). */
  metrics: Metrics;
  /** What other features do when a recap changes state, called inside the change's transaction. */
  recapReactions: readonly RecapReaction[];
  /** What other features do when usage arrives (value moments), called inside the batch's transaction. */
  usageReactions: readonly UsageReaction[];
};

/**
 * The reactions to a recap's change, in the order they run: render the cards, e-mail the end
 * customer, tell the tenant's webhooks. Each belongs to its own feature; recaps/ only calls them.
 */
export const RECAP_REACTIONS: readonly RecapReaction[] = [
  renderOnApprovalOrPublication,
  emailCustomerOnApproval,
  emitRecapWebhook,
];

/** The reactions to new usage: value-moment rules are checked by moments/. */
export const USAGE_REACTIONS: readonly UsageReaction[] = [evaluateMomentsOnNewEvents];

/** What a caller may choose instead of the configuration's defaults (tests: a clock, a drafter). */
export type DepsOverrides = {
  log?: Logger;
  clock?: Clock;
  drafter?: Drafter;
  renderer?: Renderer;
  /** Render worker threads (default: one per core). */
  renderThreads?: number;
  /** Template drafting (default: DRAFT_THREADS threads, or on the event loop when 0). */
  templateDrafting?: TemplateDrafting;
  /** Database connections of this process (default: DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** pg-boss options on top of the configuration's (`background: false` for commands and tests). */
  queue?: JobQueueOptions;
};

/**
 * Builds every dependency from the configuration: the one composition used by the server, the
 * worker, the CLI, the tests and the benchmarks. `config.databaseUrl` must be resolved (the
 * embedded server started) by then. Opens connections but starts nothing: callers start the queue
 * with their job definitions. `close` releases what was opened, clicks flushed first.
 */
export function createDeps(config: Config, overrides: DepsOverrides = {}): { deps: Deps; close(): Promise<void> } {
  if (!config.databaseUrl) throw new Error("createDeps needs a database URL (start the embedded server first).");
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const client = createDatabaseClient(config.databaseUrl, { poolSize: overrides.poolSize ?? config.databasePoolSize });
  const queue = createJobQueue(config.databaseUrl, log, { ...config.jobs, ...overrides.queue });
  const renderThreads = overrides.renderThreads;
  const renderer =
    overrides.renderer ??
    lazyRenderer(() =>
      createRenderer({ ...(renderThreads ? { threads: renderThreads } : {}), nice: config.backgroundThreadNice }),
    );
  const templateDrafting =
    overrides.templateDrafting ??
    (config.draftThreads === 0
      ? inlineTemplateDrafting()
      : pooledTemplateDrafting({
          ...(config.draftThreads ? { threads: config.draftThreads } : {}),
          nice: config.backgroundThreadNice,
        }));
  const clicks = createClickBuffer({
    db: client.db,
    clock,
    log,
    flushMs: config.sharing.clickFlushMs,
    visitorsPerAddress: config.sharing.visitorsPerAddressPerHour,
  });
  const caches = createCacheRegistry();
  const publicAssets = createPublicAssetCache(config.publicAssetCacheBytes);
  // An erasure forgets its asset keys through the registry, as it forgets share codes.
  caches.add(publicAssets);
  const publicVerdicts = createPublicVerdicts({
    sql: client.sql,
    clock,
    log,
    maxAgeMs: config.publicAssetVerdictSeconds * 1000,
  });
  caches.add(publicVerdicts);
  const deps: Deps = {
    config,
    db: client.db,
    sql: client.sql,
    queue,
    clock,
    log,
    drafter: overrides.drafter ?? createDrafter(config),
    templateDrafter: createTemplateDrafter(),
    templateDrafting,
    renderer,
    clicks,
    caches,
    publicAssets,
    publicVerdicts,
    shareUrlOf: canonicalShareUrl,
    metrics: createMetrics({ sql: client.sql, clicks, log }),
    // This instance's own take-downs forget its verdicts before they commit.
    recapReactions: [...RECAP_REACTIONS, forgetVerdictsOnChange(publicVerdicts)],
    usageReactions: USAGE_REACTIONS,
  };
  return {
    deps,
    async close() {
      // Clicks answered before shutdown are written before the database goes away.
      await clicks.stop().catch((error) => log.error({ err: error }, "flushing clicks at shutdown failed"));
      await queue.stop();
      await renderer.close();
      await templateDrafting.close();
      await publicVerdicts.stop();
      await client.close();
    },
  };
}
