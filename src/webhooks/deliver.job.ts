import { and, eq } from "drizzle-orm";
import type { Job } from "pg-boss";
import type { Deps } from "../deps.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { DELIVER_WEBHOOK_JOB, type DeliverWebhookData } from "./event-types.js";
import { type Resolver, type SafeResponse, safePost, TargetError } from "./safe-fetch.js";
import { activeSecrets, signatureHeader } from "./signing.js";
import { targetPolicy } from "./target-policy.js";
import { type DeliveryTrigger, webhookDeliveries, webhookEndpoints, webhookMessages } from "./webhooks.schema.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The wait before each automatic retry: the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h) and two more daily attempts, so a receiver has about three days (10 attempts,
 * the last ~75 h after the first) to come back before the message is given up on.
 */
export const DEFAULT_RETRY_DELAYS_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
  24 * HOUR,
  24 * HOUR,
];
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
export const USER_AGENT = "outcome-recap-webhooks/0.1 (+https://www.standardwebhooks.com)";

export type DeliveryOptions = {
  /** Waits before retry 1, 2, …; attempts = length + 1. Tests pass milliseconds. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  /** DNS for the SSRF check (tests fake it). */
  resolve?: Resolver;
};

type Deps_ = Pick<Deps, "db" | "queue" | "clock" | "log" | "config" | "metrics">;

type Outcome = {
  status: "succeeded" | "failed";
  statusCode: number | null;
  responseSnippet: string | null;
  error: string | null;
  gone: boolean;
  /** Why it failed, as a metric label: http_4xx, http_5xx, redirect, gone, or the TargetError's kind. */
  reason: string | null;
};

function outcomeOf(response: SafeResponse): Outcome {
  const { status } = response;
  const base = { statusCode: status, responseSnippet: response.snippet || null };
  if (status >= 200 && status < 300) return { ...base, status: "succeeded", error: null, gone: false, reason: null };
  if (status >= 300 && status < 400) {
    const to = response.location ? ` to ${response.location.slice(0, 300)}` : "";
    return { ...base, status: "failed", error: `redirect${to} not followed`, gone: false, reason: "redirect" };
  }
  if (status === 410)
    return { ...base, status: "failed", error: "410 Gone: endpoint disabled", gone: true, reason: "gone" };
  const reason = status >= 500 ? "http_5xx" : status >= 400 ? "http_4xx" : "http_other";
  return { ...base, status: "failed", error: `HTTP ${status}`, gone: false, reason };
}

/**
 * Sends one message to one endpoint, signed per Standard Webhooks, and logs the attempt. Failures
 * are retried by enqueueing the next attempt with `startAfter` (pg-boss's own retries only cover
 * crashes of this handler); a 410 disables the endpoint. A job that runs twice may send twice
 * (receivers deduplicate on `webhook-id`) but logs and schedules once.
 */
export async function deliverWebhook(
  deps: Deps_,
  data: DeliverWebhookData,
  jobId: string | null,
  options: DeliveryOptions = {},
): Promise<void> {
  const [endpoint] = await deps.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, data.tenantId), eq(webhookEndpoints.id, data.endpointId)));
  if (!endpoint || endpoint.disabledAt) return; // deleted or disabled since: nothing to send
  if (jobId) {
    const [done] = await deps.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.jobId, jobId));
    if (done) return;
  }
  const [message] = await deps.db
    .select()
    .from(webhookMessages)
    .where(and(eq(webhookMessages.tenantId, data.tenantId), eq(webhookMessages.id, data.messageId)));
  if (!message) return;

  const now = deps.clock.now();
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify({
    type: message.type,
    timestamp: message.createdAt.toISOString(),
    data: message.payload,
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const started = performance.now();
  let outcome: Outcome;
  try {
    const response = await safePost(endpoint.url, {
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signatureHeader(activeSecrets(endpoint, now), message.id, timestamp, body),
      },
      policy: targetPolicy(deps.config),
      timeoutMs,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
    outcome = outcomeOf(response);
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    outcome = {
      status: "failed",
      statusCode: null,
      responseSnippet: null,
      error: error.message,
      gone: false,
      reason: error.kind,
    };
  }
  const durationMs = Math.round(performance.now() - started);
  deps.metrics.countWebhookAttempt({ result: outcome.status, reason: outcome.reason });

  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const delay = delays[data.attempt - 1];
  const retry = outcome.status === "failed" && !outcome.gone && !data.oneOff && delay !== undefined;
  const nextAttemptAt = retry ? new Date(deps.clock.now().getTime() + delay) : null;
  const trigger: DeliveryTrigger = data.oneOff ?? (data.attempt === 1 ? "event" : "retry");

  await logAttempt(deps, async (tx) => {
    const logged = await tx
      .insert(webhookDeliveries)
      .values({
        tenantId: data.tenantId,
        endpointId: endpoint.id,
        messageId: message.id,
        jobId,
        attempt: data.attempt,
        trigger,
        status: outcome.status,
        statusCode: outcome.statusCode,
        responseSnippet: outcome.responseSnippet,
        error: outcome.error,
        durationMs,
        attemptedAt: now,
        nextAttemptAt,
      })
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id });
    if (logged.length === 0) return; // the same job ran concurrently and logged first
    if (outcome.gone) {
      await tx
        .update(webhookEndpoints)
        .set({
          disabledAt: now,
          disabledReason: `The receiver answered 410 Gone (message ${message.id}).`,
          updatedAt: now,
        })
        .where(eq(webhookEndpoints.id, endpoint.id));
    }
    if (nextAttemptAt) {
      const next: DeliverWebhookData = { ...data, attempt: data.attempt + 1 };
      await deps.queue.enqueue(DELIVER_WEBHOOK_JOB, next, { tx, startAfter: nextAttemptAt });
    }
  });
  deps.log.debug(
    { endpointId: endpoint.id, messageId: message.id, attempt: data.attempt, status: outcome.status },
    "webhook attempt",
  );
}

/** Runs the logging transaction; an endpoint deleted while its attempt was in flight leaves nothing to log. */
async function logAttempt(deps: Deps_, work: Parameters<Deps_["db"]["transaction"]>[0]) {
  try {
    await deps.db.transaction(work);
  } catch (error) {
    // A foreign-key violation (drizzle wraps the driver's error in `cause`): the endpoint is gone.
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    if ((code ?? cause?.code) === "23503") return;
    throw error;
  }
}

export function webhookDeliveryJob(deps: Deps_, options: DeliveryOptions = {}): JobDefinition<DeliverWebhookData> {
  return {
    name: DELIVER_WEBHOOK_JOB,
    // Only for crashes (database down mid-attempt): delivery failures schedule their own retries.
    queue: { retryLimit: 3, retryDelay: 30, retryBackoff: true },
    concurrency: 8,
    handle: (data, job: Job<DeliverWebhookData>) => deliverWebhook(deps, data, job.id, options),
  };
}
