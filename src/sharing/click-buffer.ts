import { setImmediate as yieldToRequests } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { Clock } from "../platform/clock.js";
import type { DbExecutor } from "../platform/db/client.js";
import type { Logger } from "../platform/logging.js";
import { addressHash, dailySalt, hourStart, loadVisitorSecret, utcDay, visitorHash } from "./visitor.js";

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
  /** Null when there is no cap per address: then nothing about the address is kept. */
  addressHash: string | null,
];

const COLUMNS = sql.raw(
  "id, code, tenant_id, recap_id, at, hour_bucket, visitor_hash, referrer_host, country, is_bot, bot_reason, method",
);

/** A click the first statement stored as counted: the input of the per-address cap. */
type CountedClick = { id: string; code: string; tenant_id: string; address_hash: string | null; at_ms: string };

/**
 * The click recorder behind `/r/:code`: clicks wait in memory and are written at least every
 * `flushMs` and on shutdown. Dedupe (one counted click per visitor, link and UTC hour) happens in
 * two places: within a batch here, and across batches and instances by the partial unique index
 * `link_clicks_counted_once_idx`, which the insert respects with ON CONFLICT DO NOTHING — the
 * losing rows are then stored uncounted instead, in the same statement.
 *
 * A visitor is an address and a user agent, so one machine cycling user agents would count as
 * many visitors: `visitorsPerAddress` caps the counted visitors per address, link and hour (null:
 * no cap). The cap is kept in `link_click_address_tallies`, whose rows the flush locks in key
 * order, so it holds across batches and instances.
 */
export function createClickBuffer(deps: {
  db: DbExecutor;
  clock: Clock;
  log: Logger;
  flushMs: number;
  visitorsPerAddress: number | null;
}): ClickBuffer {
  let pending: ClickEvent[] = [];
  let secret: Promise<string> | null = null;
  const salts = new Map<number, string>();
  let chain: Promise<unknown> = Promise.resolve();
  let dropped = 0;
  let batchFlushQueued = false;
  let prunedTalliesAt = Number.NEGATIVE_INFINITY;

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
        // Opted-out clicks are capped too (else DNT: 1 would lift the cap); their address hash
        // goes only into the tally, never onto the click row.
        const address = deps.visitorsPerAddress === null || click.isBot ? null : addressHash(salt, click.ip);
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
          address,
        ]);
      }
      slices.push(JSON.stringify(rows).slice(1, -1));
    }
    return `[${slices.join(",")}]`;
  }

  async function write(clicks: string): Promise<number> {
    return deps.db.transaction(async (tx) => {
      const counted = await insertClicks(tx, clicks);
      const uncounted = await capVisitorsPerAddress(tx, counted);
      await pruneTallies(tx);
      return counted.length - uncounted;
    });
  }

  /** Stores the batch; returns the clicks it stored as counted. */
  async function insertClicks(tx: DbExecutor, clicks: string): Promise<CountedClick[]> {
    // Links or recaps deleted since the click are skipped (or lose their recap) instead of failing
    // the batch. `cleaned` is materialized: both inserts must see the same generated ids.
    const result = await tx.execute<CountedClick>(sql`
      with input as (
        select e->>0 as code, (e->>1)::uuid as tenant_id, (e->>2)::uuid as recap_id, (e->>3)::bigint as at_ms,
          e->>4 as visitor_hash, e->>5 as referrer_host, e->>6 as country, (e->>7)::boolean as is_bot,
          e->>8 as bot_reason, e->>9 as method, (e->>10)::boolean as counted, (e->>11)::boolean as share_started,
          e->>12 as address_hash
        from jsonb_array_elements(${clicks}::jsonb) as e
      ),
      cleaned as materialized (
        select gen_random_uuid() as id, i.code, i.tenant_id,
          (select r.id from recaps r where r.id = i.recap_id) as recap_id,
          'epoch'::timestamptz + i.at_ms * interval '1 millisecond' as at,
          'epoch'::timestamptz + (i.at_ms - i.at_ms % 3600000) * interval '1 millisecond' as hour_bucket,
          i.visitor_hash, i.referrer_host, i.country, i.is_bot, i.bot_reason, i.method, i.counted, i.share_started,
          i.address_hash, i.at_ms
        from input i
        where exists (select 1 from share_links l where l.code = i.code)
      ),
      first_in_hour as (
        insert into link_clicks (${COLUMNS}, counted, share_started)
        select ${COLUMNS}, true, share_started from cleaned where counted and visitor_hash is not null
        -- In key order, so two flushes holding the same visitors cannot each wait for the other's entry.
        order by code, visitor_hash, hour_bucket
        on conflict (code, visitor_hash, hour_bucket) where counted and visitor_hash is not null do nothing
        returning id
      ),
      rest as (
        insert into link_clicks (${COLUMNS}, counted, share_started)
        select ${COLUMNS}, counted and visitor_hash is null, share_started from cleaned
        where not (counted and visitor_hash is not null) or id not in (select id from first_in_hour)
        returning id, counted
      )
      select c.id, c.code, c.tenant_id, c.address_hash, c.at_ms from cleaned c
      where c.id in (select id from first_in_hour) or c.id in (select id from rest where counted)
    `);
    return result as unknown as CountedClick[];
  }

  /**
   * Adds the counted clicks to their address's tally and stores those beyond the cap uncounted,
   * the earliest keeping their count. The tally rows are locked (upserted in key order) until
   * the transaction ends, so two flushes cannot both take an address's last place.
   */
  async function capVisitorsPerAddress(tx: DbExecutor, counted: CountedClick[]): Promise<number> {
    const cap = deps.visitorsPerAddress;
    const capped = counted.filter((click) => click.address_hash !== null);
    if (cap === null || capped.length === 0) return 0;
    const result = await tx.execute<{ id: string }>(sql`
      with batch as (
        select (e->>'id')::uuid as id, e->>'code' as code, (e->>'tenant_id')::uuid as tenant_id,
          e->>'address_hash' as address_hash, (e->>'at_ms')::bigint as at_ms,
          'epoch'::timestamptz + ((e->>'at_ms')::bigint - (e->>'at_ms')::bigint % 3600000) * interval '1 millisecond' as hour_bucket
        from jsonb_array_elements(${JSON.stringify(capped)}::jsonb) as e
      ),
      tally as (
        insert into link_click_address_tallies (code, address_hash, hour_bucket, tenant_id, visitors)
        select code, address_hash, hour_bucket, tenant_id, count(*) from batch
        group by 1, 2, 3, 4
        order by 1, 2, 3
        on conflict (code, address_hash, hour_bucket) do update set
          visitors = link_click_address_tallies.visitors + excluded.visitors
        returning code, address_hash, hour_bucket, visitors
      ),
      placed as (
        select b.id, t.visitors - count(*) over same_key + row_number() over (same_key order by b.at_ms, b.id) as place
        from batch b join tally t using (code, address_hash, hour_bucket)
        window same_key as (partition by b.code, b.address_hash, b.hour_bucket)
      )
      update link_clicks set counted = false
      where id in (select id from placed where place > ${cap})
      returning id
    `);
    return (result as unknown as { id: string }[]).length;
  }

  /** Tallies matter only for their hour (and clicks that waited in the buffer): a day's are kept. */
  async function pruneTallies(tx: DbExecutor): Promise<void> {
    const now = deps.clock.now().getTime();
    if (deps.visitorsPerAddress === null || now - prunedTalliesAt < 3_600_000) return;
    prunedTalliesAt = now;
    await tx.execute(
      sql`delete from link_click_address_tallies where hour_bucket < ${new Date(now - DAY_MS).toISOString()}::timestamptz`,
    );
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
