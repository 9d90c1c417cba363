import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Clock } from "../platform/clock.js";
import type { DbExecutor } from "../platform/db/client.js";
import type { Logger } from "../platform/logging.js";
import { dailySalt, hourBucket, loadVisitorSecret, utcDay, visitorHash } from "./visitor.js";

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
/** A database that stays down must not grow the buffer without bound: beyond this, new clicks are dropped. */
const MAX_PENDING = 200_000;

type Row = {
  id: string;
  code: string;
  tenant_id: string;
  recap_id: string | null;
  at: string;
  hour_bucket: string;
  visitor_hash: string | null;
  referrer_host: string | null;
  country: string | null;
  is_bot: boolean;
  bot_reason: string | null;
  method: string;
  counted: boolean;
  share_started: boolean;
};

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
  const salts = new Map<string, string>();
  let chain: Promise<unknown> = Promise.resolve();
  let dropped = 0;

  const timer = setInterval(() => {
    if (pending.length > 0) flush().catch(() => {});
  }, deps.flushMs);
  timer.unref();

  async function saltFor(day: string): Promise<string> {
    const known = salts.get(day);
    if (known) return known;
    secret ??= loadVisitorSecret(deps.db).catch((error) => {
      secret = null;
      throw error;
    });
    const salt = dailySalt(await secret, day);
    if (salts.size > 3) salts.clear();
    salts.set(day, salt);
    return salt;
  }

  async function toRows(batch: ClickEvent[]): Promise<Row[]> {
    const seen = new Set<string>();
    const rows: Row[] = [];
    for (const click of batch) {
      const bucket = hourBucket(click.at);
      const hash = click.optOut ? null : visitorHash(await saltFor(utcDay(click.at)), click.ip, click.userAgent);
      let counted = !click.isBot;
      if (counted && hash) {
        const key = `${click.code}|${hash}|${bucket.getTime()}`;
        if (seen.has(key)) counted = false;
        seen.add(key);
      }
      rows.push({
        id: randomUUID(),
        code: click.code,
        tenant_id: click.tenantId,
        recap_id: click.recapId,
        at: click.at.toISOString(),
        hour_bucket: bucket.toISOString(),
        visitor_hash: hash,
        referrer_host: click.referrerHost,
        country: click.country,
        is_bot: click.isBot,
        bot_reason: click.botReason,
        method: click.method,
        counted,
        share_started: click.shareStarted,
      });
    }
    return rows;
  }

  async function write(rows: Row[]): Promise<number> {
    const columns = sql.raw(
      "id, code, tenant_id, recap_id, at, hour_bucket, visitor_hash, referrer_host, country, is_bot, bot_reason, method",
    );
    // Links or recaps deleted since the click are skipped (or lose their recap) instead of failing the batch.
    const result = await deps.db.execute<{ counted: number }>(sql`
      with input as (
        select x.* from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
          id uuid, code text, tenant_id uuid, recap_id uuid, at timestamptz, hour_bucket timestamptz,
          visitor_hash text, referrer_host text, country text, is_bot boolean, bot_reason text,
          method text, counted boolean, share_started boolean)
        where exists (select 1 from share_links l where l.code = x.code)
      ),
      cleaned as (
        select i.id, i.code, i.tenant_id, (select r.id from recaps r where r.id = i.recap_id) as recap_id,
          i.at, i.hour_bucket, i.visitor_hash, i.referrer_host, i.country, i.is_bot, i.bot_reason, i.method,
          i.counted, i.share_started
        from input i
      ),
      first_in_hour as (
        insert into link_clicks (${columns}, counted, share_started)
        select ${columns}, true, share_started from cleaned where counted and visitor_hash is not null
        on conflict (code, visitor_hash, hour_bucket) where counted and visitor_hash is not null do nothing
        returning id
      ),
      rest as (
        insert into link_clicks (${columns}, counted, share_started)
        select ${columns}, counted and visitor_hash is null, share_started from cleaned
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
        const rows = await toRows(batch);
        counted += await write(rows);
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
      if (pending.length >= BATCH) flush().catch(() => {});
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
