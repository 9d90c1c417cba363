import type postgres from "postgres";
import type { Database } from "../platform/db/client.js";
import { AppError, type FieldError, toFieldErrors } from "../platform/errors.js";
import type { JobQueue } from "../platform/queue/queue.js";
import { resolveAccountIds } from "./accounts.js";
import { loadDistinctPairs } from "./distinct-pairs.js";
import { eventBatchSchema, MAX_EVENT_AGE_MS, MAX_EVENTS_PER_BATCH, type UsageEventInput } from "./event-input.js";
import type { UsageReaction } from "./usage-reactions.js";

export type IngestResult = { received: number; inserted: number; duplicates: number };

/** Parses an NDJSON body into events; a line that is not JSON is reported by its index. */
export function parseNdjson(text: string): unknown {
  const events: unknown[] = [];
  const errors: FieldError[] = [];
  const lines = text.split("\n");
  for (const [lineNumber, line] of lines.entries()) {
    if (line.trim() === "") continue;
    if (events.length + errors.length >= MAX_EVENTS_PER_BATCH + 1) break;
    try {
      events.push(JSON.parse(line));
    } catch {
      errors.push({
        path: `events[${events.length + errors.length}]`,
        message: `line ${lineNumber + 1} is not valid JSON`,
      });
      events.push(null);
    }
  }
  if (errors.length > 0) {
    throw new AppError("invalid_json", `${errors.length} NDJSON line(s) are not JSON.`, { errors });
  }
  return { events };
}

function rejectBatch(errors: FieldError[]): never {
  throw new AppError(
    "validation_failed",
    `${errors.length} problem${errors.length === 1 ? "" : "s"} in the batch; nothing was stored.`,
    {
      errors: errors.slice(0, 1000),
      ...(errors.length > 1000 ? { details: { truncatedErrors: errors.length - 1000 } } : {}),
    },
  );
}

/** Validates a parsed batch (from JSON or NDJSON) and returns its events, or refuses it whole. */
export function validateBatch(body: unknown): UsageEventInput[] {
  const parsed = eventBatchSchema.safeParse(body);
  if (!parsed.success) rejectBatch(toFieldErrors(parsed.error.issues));
  return parsed.data.events;
}

/**
 * Stores a batch all or nothing: every row is checked first (time window, duplicate event ids
 * within the batch, unknown accounts) and one problem lists every bad row by index. The insert is
 * one statement over arrays (unnest), and an event id seen before is skipped, not an error.
 */
export async function ingestEvents(
  deps: { db: Database; sql: postgres.Sql; queue: JobQueue; usageReactions: readonly UsageReaction[] },
  tenantId: string,
  events: UsageEventInput[],
  now: Date,
): Promise<IngestResult> {
  const errors: FieldError[] = [];
  const seenEventIds = new Map<string, number>();
  const occurredAt: string[] = new Array(events.length);
  for (const [index, event] of events.entries()) {
    const at = Date.parse(event.occurred_at);
    if (Math.abs(at - now.getTime()) > MAX_EVENT_AGE_MS) {
      errors.push({ path: `events[${index}].occurred_at`, message: "must be within 5 years of now" });
    }
    occurredAt[index] = new Date(at).toISOString();
    if (event.event_id !== undefined) {
      const first = seenEventIds.get(event.event_id);
      if (first !== undefined) {
        errors.push({ path: `events[${index}].event_id`, message: `repeats events[${first}].event_id in this batch` });
      } else seenEventIds.set(event.event_id, index);
    }
  }
  const accountIds = await resolveAccountIds(deps.db, tenantId, [...new Set(events.map((event) => event.account))]);
  for (const [index, event] of events.entries()) {
    if (!accountIds.has(event.account)) {
      errors.push({ path: `events[${index}].account`, message: `no account "${event.account}" in this tenant` });
    }
  }
  if (errors.length > 0) rejectBatch(errors.sort((a, b) => indexOf(a.path) - indexOf(b.path)));

  // The (event, property) pairs that `distinct` metrics count: their values are rolled up too.
  const distinctPairs = await loadDistinctPairs(deps.sql, tenantId);

  // Every column travels as one text array (postgres.js sends it as a single parameter) and
  // PostgreSQL casts it. One statement stores the events and folds the newly stored ones (not
  // the skipped duplicates) into the 15-minute rollups and the distinct values (per 15 minutes
  // and per UTC day); a re-sent event is one with the same id and time (the partition key is part
  // of every unique key); rollup rows are locked in key order so
  // concurrent batches cannot deadlock. The events themselves are inserted in event-id order for
  // the same reason: two batches sharing ids in opposite orders would otherwise each hold one
  // id's unique-index entry while waiting for the other's (40P01).
  const text = (values: (string | null)[]) => deps.sql.array(values as string[]);
  const rows = await retryOnceOnDeadlock(() =>
    deps.sql.begin(async (tx) => {
      const stored = await tx<{ inserted: number; accounts: string[] }[]>`
    with inserted as (
      insert into usage_events (tenant_id, account_id, event, quantity, occurred_at, event_id, properties)
      select ${tenantId}::uuid, a::uuid, e, q::float8, t::timestamptz, i, p::jsonb
      from unnest(
        ${text(events.map((event) => accountIds.get(event.account) as string))}::text[],
        ${text(events.map((event) => event.event))}::text[],
        ${text(events.map((event) => String(event.quantity)))}::text[],
        ${text(occurredAt)}::text[],
        ${text(events.map((event) => event.event_id ?? null))}::text[],
        ${text(events.map((event) => (event.properties ? JSON.stringify(event.properties) : null)))}::text[]
      ) as batch(a, e, q, t, i, p)
      order by i collate "C" nulls last
      on conflict (tenant_id, event_id, occurred_at) where event_id is not null do nothing
      returning account_id, event, quantity, occurred_at, properties
    ),
    rolled as (
      insert into usage_rollups (account_id, event, bucket, tenant_id, count, sum, max)
      select account_id, event, to_timestamp(floor(extract(epoch from occurred_at) / 900) * 900), ${tenantId}::uuid, count(*), sum(quantity), max(quantity)
      from inserted
      group by 1, 2, 3
      order by 1, 2, 3
      on conflict (account_id, event, bucket) do update set
        count = usage_rollups.count + excluded.count,
        sum = usage_rollups.sum + excluded.sum,
        max = greatest(usage_rollups.max, excluded.max)
    ),
    distinct_values as (
      insert into usage_distinct_values (account_id, event, property, bucket, value)
      select distinct i.account_id, i.event, d.property, to_timestamp(floor(extract(epoch from i.occurred_at) / 900) * 900), i.properties->>d.property
      from inserted i
      join unnest(${text(distinctPairs.map((pair) => pair.event))}::text[], ${text(distinctPairs.map((pair) => pair.property))}::text[])
        as d(event, property) on d.event = i.event
      where i.properties->>d.property is not null
      order by 1, 2, 3, 4, 5
      on conflict do nothing
    ),
    daily_distinct_values as (
      insert into usage_daily_distinct_values (account_id, event, property, day, value)
      select distinct i.account_id, i.event, d.property, (i.occurred_at at time zone 'UTC')::date, i.properties->>d.property
      from inserted i
      join unnest(${text(distinctPairs.map((pair) => pair.event))}::text[], ${text(distinctPairs.map((pair) => pair.property))}::text[])
        as d(event, property) on d.event = i.event
      where i.properties->>d.property is not null
      order by 1, 2, 3, 4, 5
      on conflict do nothing
    )
    select count(*)::int as inserted, coalesce(array_agg(distinct account_id::text), '{}') as accounts from inserted`;
      // What follows new usage (value moments) is each feature's reaction, in this transaction.
      const touched = stored[0]?.accounts ?? [];
      if (touched.length > 0) {
        for (const react of deps.usageReactions) await react(deps, tx, { tenantId, accountIds: touched });
      }
      return stored;
    }),
  );
  const inserted = rows[0]?.inserted ?? 0;
  return { received: events.length, inserted, duplicates: events.length - inserted };
}

/**
 * Runs a transaction again once if PostgreSQL broke a deadlock by aborting it. Ordered inserts
 * make deadlocks between batches unlikely, not impossible (other writers lock these rows too),
 * and a rolled-back batch is safe to repeat whole.
 */
async function retryOnceOnDeadlock<T>(transaction: () => Promise<T>): Promise<T> {
  try {
    return await transaction();
  } catch (error) {
    if ((error as { code?: unknown }).code !== DEADLOCK_DETECTED) throw error;
    return transaction();
  }
}
const DEADLOCK_DETECTED = "40P01";

function indexOf(path: string): number {
  return Number(/^events\[(\d+)\]/.exec(path)?.[1] ?? 0);
}
