import { setImmediate as yieldToRequests } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { Clock } from "../platform/clock.js";
import type { DbExecutor } from "../platform/db/client.js";
import type { Logger } from "../platform/logging.js";
import { dailySalt, hourStart, loadVisitorSecret, utcDay, visitorHash } from "./visitor.js";

/** One answered request, as the redirect saw it. The IP lives only in memory, until the flush hashes it. */
export type ClickEvent = {
  code: string;
  tenantId: string;
  recapId: string | null;
  at: Date;
  method: string;
  ip: string;
  userAgent: string;
  /** Sec-GPC: 1 or DNT: 1: no visitor hash is kept (so the click cannot be deduplicated). */
  optOut: boolean;
  referrerHost: string | null;
  country: string | null;
  isBot: boolean;
  botReason: string | null;
  shareStarted: boolean;
};

export type FlushResult = { written: number; counted: number };

export type ClickBuffer = {
  /** Never waits and never throws: the redirect calls it after it has its answer. */
  record(click: ClickEvent): void;
  /** Writes everything buffered so far (one multi-row insert per batch). */
  flush(): Promise<FlushResult>;
  /** Stops the timer and flushes what is left; later clicks are still accepted and flushed by flush(). */
  stop(): Promise<void>;
  readonly pending: number;
};

const BATCH = 2000;
/** Clicks encoded between two yields to the event loop: a batch never blocks requests for long. */
const SLICE = 250;
const DAY_MS = 86_400_000;
/** A database that stays down must not grow the buffer without bound: beyond this, new clicks are dropped. */
const MAX_PENDING = 200_000;

/**
 * One click as the insert reads it: a JSON array, by position (no key names repeated per row, and
 * no id, time stamps or hour bucket formatted here: the statement derives them from `at_ms`).
 */
type EncodedClick = [
  code: string,
  tenantId: string,
  recapId: string | null,
  atMs: number,
  visitorHash: string | null,
  referrerHost: string | null,
  country: string | null,
  isBot: boolean,
  botReason: string | null,
  method: string,
  counted: boolean,
  shareStarted: boolean,
];

const COLUMNS = sql.raw(
  "id, code, tenant_id, recap_id, at, hour_bucket, visitor_hash, referrer_host, country, is_bot, bot_reason, method",
);

/**
 * The click recorder behind `/r/:code`: clicks wait in memory and are written at least every
 * `flushMs` and on shutdown. Dedupe (one counted click per visitor, link and UTC hour) happens in
 * two places: within a batch here, and across batches and instances by the partial unique index
 * `link_clicks_counted_once_idx`, which the insert respects with ON CONFLICT DO NOTHING — the
 * losing rows are then stored uncounted instead, in the same statement.
 */
export function createClickBuffer(deps: { db: DbExecutor; clock: Clock; log: Logger; flushMs: number }): ClickBuffer {
  let pending: ClickEvent[] = [];
  let secret: Promise<string> | null = null;
  const salts = new Map<number, string>();
  let chain: Promise<unknown> = Promise.resolve();
  let dropped = 0;
  let batchFlushQueued = false;

  const timer = setInterval(() => {
    if (pending.length > 0) flush().catch(() => {});
  }, deps.flushMs);
  timer.unref();

  /** The salt of a UTC day, numbered from the epoch (the secret is read from the database once). */
  async function saltFor(day: number): Promise<string> {
    const known = salts.get(day);
    if (known) return known;
    secret ??= loadVisitorSecret(deps.db).catch((error) => {
      secret = null;
      throw error;
    });
    const salt = dailySalt(await secret, utcDay(new Date(day * DAY_MS)));
    if (salts.size > 3) salts.clear();
    salts.set(day, salt);
    return salt;
  }

  /**
   * The batch as one JSON array of EncodedClick, hashing each visitor and marking repeats within
   * the batch as not counted. Encoded a slice at a time, letting waiting requests in between.
   */
  async function encode(batch: ClickEvent[]): Promise<string> {
    // The salts of the batch's days first (one day, or two around midnight): the loop is synchronous.
    const saltOfDay = new Map<number, string>();
    for (const click of batch) {
      const day = Math.floor(click.at.getTime() / DAY_MS);
      if (!saltOfDay.has(day)) saltOfDay.set(day, await saltFor(day));
    }
    const seen = new Set<string>();
    const slices: string[] = [];
    for (let start = 0; start < batch.length; start += SLICE) {
      if (start > 0) await yieldToRequests();
      const rows: EncodedClick[] = [];
      for (const click of batch.slice(start, start + SLICE)) {
        const atMs = click.at.getTime();
        const salt = saltOfDay.get(Math.floor(atMs / DAY_MS)) as string;
        const hash = click.optOut ? null : visitorHash(salt, click.ip, click.userAgent);
        let counted = !click.isBot;
        if (counted && hash) {
          const key = `${click.code}|${hash}|${hourStart(atMs)}`;
          if (seen.has(key)) counted = false;
          else seen.add(key);
        }
        rows.push([
          click.code,
          click.tenantId,
          click.recapId,
          atMs,
          hash,
          click.referrerHost,
          click.country,
          click.isBot,
          click.botReason,
          click.method,
          counted,
          click.shareStarted,
        ]);
      }
      slices.push(JSON.stringify(rows).slice(1, -1));
    }
    return `[${slices.join(",")}]`;
  }

  async function write(clicks: string): Promise<number> {
    // Links or recaps deleted since the click are skipped (or lose their recap) instead of failing
    // the batch. `cleaned` is materialized: both inserts must see the same generated ids.
    const result = await deps.db.execute<{ counted: number }>(sql`
      with input as (
        select e->>0 as code, (e->>1)::uuid as tenant_id, (e->>2)::uuid as recap_id, (e->>3)::bigint as at_ms,
          e->>4 as visitor_hash, e->>5 as referrer_host, e->>6 as country, (e->>7)::boolean as is_bot,
          e->>8 as bot_reason, e->>9 as method, (e->>10)::boolean as counted, (e->>11)::boolean as share_started
        from jsonb_array_elements(${clicks}::jsonb) as e
      ),
      cleaned as materialized (
        select gen_random_uuid() as id, i.code, i.tenant_id,
          (select r.id from recaps r where r.id = i.recap_id) as recap_id,
          'epoch'::timestamptz + i.at_ms * interval '1 millisecond' as at,
          'epoch'::timestamptz + (i.at_ms - i.at_ms % 3600000) * interval '1 millisecond' as hour_bucket,
          i.visitor_hash, i.referrer_host, i.country, i.is_bot, i.bot_reason, i.method, i.counted, i.share_started
        from input i
        where exists (select 1 from share_links l where l.code = i.code)
      ),
      first_in_hour as (
        insert into link_clicks (${COLUMNS}, counted, share_started)
        select ${COLUMNS}, true, share_started from cleaned where counted and visitor_hash is not null
        on conflict (code, visitor_hash, hour_bucket) where counted and visitor_hash is not null do nothing
        returning id
      ),
      rest as (
        insert into link_clicks (${COLUMNS}, counted, share_started)
        select ${COLUMNS}, counted and visitor_hash is null, share_started from cleaned
        where not (counted and visitor_hash is not null) or id not in (select id from first_in_hour)
        returning counted
      )
      select ((select count(*) from first_in_hour) + (select count(*) from rest where counted))::int as counted
    `);
    return (result as unknown as { counted: number }[])[0]?.counted ?? 0;
  }

  async function flushNow(): Promise<FlushResult> {
    let written = 0;
    let counted = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, BATCH);
      try {
        counted += await write(await encode(batch));
      } catch (error) {
        deps.log.error({ err: error, clicks: pending.length }, "writing clicks failed; they stay buffered");
        throw error;
      }
      pending = pending.slice(batch.length);
      written += batch.length;
    }
    return { written, counted };
  }

  function flush(): Promise<FlushResult> {
    const next = chain.then(flushNow, flushNow);
    chain = next.catch(() => {});
    return next;
  }

  return {
    record(click) {
      if (pending.length >= MAX_PENDING) {
        if (dropped++ % 1000 === 0) deps.log.error({ dropped }, "click buffer full: dropping clicks");
        return;
      }
      pending.push(click);
      // One flush queued for a full batch is enough (it writes everything waiting by then): not one
      // more per click while it waits for the database.
      if (pending.length >= BATCH && !batchFlushQueued) {
        batchFlushQueued = true;
        flush()
          .catch(() => {})
          .finally(() => {
            batchFlushQueued = false;
          });
      }
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
    get pending() {
      return pending.length;
    },
  };
}
