import type { components } from "./api.gen.js";
import type { OutcomeRecapClient } from "./client.js";
import { asProblem, OutcomeRecapError } from "./problem.js";
import { type Clock, realClock, realSleep, type Sleep } from "./timing.js";

export type UsageEvent = components["schemas"]["UsageEvent"];

/** The service takes at most this many events in one `POST /v1/events`. */
export const MAX_EVENTS_PER_BATCH = 10_000;

export type SendEventsOptions = {
  /** Events per request, 1 to 10,000 (the default: fewer requests spend less of the rate limit). */
  batchSize?: number;
  /** Tries per batch, the first included (default 5). */
  maxAttempts?: number;
  /** The first back-off when the answer has no Retry-After, doubled on each retry (default 500 ms). */
  initialDelayMs?: number;
  /** No single wait is longer than this (default 60 s). */
  maxDelayMs?: number;
  /** How to wait between tries; tests pass a fake that returns at once. */
  sleep?: Sleep;
  /** "Now", for a Retry-After given as an HTTP date. */
  clock?: Clock;
  /** A stable key per batch (default: a random UUID per batch, kept across that batch's retries). */
  idempotencyKey?: (batchIndex: number) => string;
  /** Called after each stored batch, e.g. to log progress. */
  onBatch?: (result: BatchResult) => void;
};

export type BatchResult = { batch: number; received: number; inserted: number; duplicates: number; attempts: number };
export type SendEventsResult = { batches: number; received: number; inserted: number; duplicates: number };

/**
 * Sends any number of events in batches of at most 10,000, one `Idempotency-Key` per batch. A batch
 * answered with 429, a 5xx or no answer at all (a dropped connection) is sent again with the same
 * key and body, after `Retry-After` when the service gave one and an exponential back-off
 * otherwise; the key and the events' `event_id`s make a batch that did arrive count once. Any
 * other refusal (400, 401, 403, 413, …) throws an `OutcomeRecapError` with the problem at once:
 * sending it again would not help. Batches go one after another, in order.
 */
export async function sendEvents(
  client: OutcomeRecapClient,
  events: readonly UsageEvent[],
  options: SendEventsOptions = {},
): Promise<SendEventsResult> {
  const batchSize = options.batchSize ?? MAX_EVENTS_PER_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_EVENTS_PER_BATCH) {
    throw new RangeError(`batchSize must be an integer from 1 to ${MAX_EVENTS_PER_BATCH}`);
  }
  const totals: SendEventsResult = { batches: 0, received: 0, inserted: 0, duplicates: 0 };
  for (let start = 0, batch = 0; start < events.length; start += batchSize, batch++) {
    const chunk = events.slice(start, start + batchSize);
    const result = await sendBatch(client, chunk, batch, options);
    totals.batches++;
    totals.received += result.received;
    totals.inserted += result.inserted;
    totals.duplicates += result.duplicates;
    options.onBatch?.(result);
  }
  return totals;
}

async function sendBatch(
  client: OutcomeRecapClient,
  events: UsageEvent[],
  batch: number,
  options: SendEventsOptions,
): Promise<BatchResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? realSleep;
  const key = options.idempotencyKey?.(batch) ?? crypto.randomUUID();
  for (let attempt = 1; ; attempt++) {
    let status: number;
    let retryAfter: string | null = null;
    let problemBody: unknown;
    try {
      const { data, error, response } = await client.POST("/v1/events", {
        body: { events },
        headers: { "idempotency-key": key },
      });
      if (data) return { batch, ...data, attempts: attempt };
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      problemBody = error;
    } catch (networkError) {
      // No answer: the batch may or may not have arrived; the same key and event ids make a resend safe.
      if (attempt >= maxAttempts) throw networkError;
      await sleep(backoff(attempt, options));
      continue;
    }
    const problem = asProblem(problemBody);
    if (!isRetryable(status, problem?.code) || attempt >= maxAttempts) {
      throw new OutcomeRecapError(status, problem);
    }
    await sleep(retryAfterMs(retryAfter, options) ?? backoff(attempt, options));
  }
}

/** Worth sending again: rate limited, a server error, or the same key still running elsewhere. */
function isRetryable(status: number, code: string | undefined): boolean {
  return status === 429 || status >= 500 || (status === 409 && code === "idempotency_request_in_progress");
}

function backoff(attempt: number, options: SendEventsOptions): number {
  return Math.min((options.initialDelayMs ?? 500) * 2 ** (attempt - 1), options.maxDelayMs ?? 60_000);
}

/** Retry-After in seconds or as an HTTP date (RFC 9110), capped like any other wait. */
function retryAfterMs(header: string | null, options: SendEventsOptions): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - (options.clock ?? realClock).now();
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), options.maxDelayMs ?? 60_000);
}
