import { and, eq, isNull, sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Deps } from "../deps.js";
import type { DbExecutor } from "../platform/db/client.js";
import {
  DELIVER_WEBHOOK_JOB,
  type DeliverWebhookData,
  WEBHOOK_TEST_EVENT,
  type WebhookEventType,
} from "./event-types.js";
import { newMessageId } from "./signing.js";
import { webhookEndpoints, webhookMessages } from "./webhooks.schema.js";

type Tx = DbExecutor | postgres.TransactionSql;
export type EmitDeps = Pick<Deps, "queue" | "clock">;
export type Emitted = { messageId: string | null; endpointIds: string[] };

const isPostgresJs = (tx: Tx): tx is postgres.TransactionSql => typeof tx === "function" && "unsafe" in tx;

async function subscribedEndpoints(tx: Tx, tenantId: string, type: string): Promise<string[]> {
  if (isPostgresJs(tx)) {
    const rows = await tx<{ id: string }[]>`
      select id from webhook_endpoints
      where tenant_id = ${tenantId} and disabled_at is null and (event_types is null or ${type} = any(event_types))`;
    return rows.map((row) => row.id);
  }
  const rows = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.tenantId, tenantId),
        isNull(webhookEndpoints.disabledAt),
        sql`(${webhookEndpoints.eventTypes} is null or ${type} = any(${webhookEndpoints.eventTypes}))`,
      ),
    );
  return rows.map((row) => row.id);
}

async function insertMessage(tx: Tx, message: typeof webhookMessages.$inferInsert) {
  if (isPostgresJs(tx)) {
    await tx`insert into webhook_messages (id, tenant_id, type, payload, created_at)
      values (${message.id}, ${message.tenantId}, ${message.type}, ${JSON.stringify(message.payload)}::jsonb,
        ${(message.createdAt as Date).toISOString()}::timestamptz)`;
  } else {
    await tx.insert(webhookMessages).values(message);
  }
}

/** Stores the message and enqueues one delivery per endpoint, all inside `tx`. */
export async function enqueueMessage(
  deps: EmitDeps,
  tx: Tx,
  tenantId: string,
  type: string,
  payload: Record<string, unknown>,
  endpointIds: string[],
  oneOff?: DeliverWebhookData["oneOff"],
): Promise<string> {
  const createdAt = deps.clock.now();
  const messageId = newMessageId(createdAt);
  await insertMessage(tx, { id: messageId, tenantId, type, payload, createdAt });
  for (const endpointId of endpointIds) {
    const data: DeliverWebhookData = { tenantId, endpointId, messageId, attempt: 1, ...(oneOff ? { oneOff } : {}) };
    await deps.queue.enqueue(DELIVER_WEBHOOK_JOB, data, { tx });
  }
  return messageId;
}

/**
 * Emits a webhook event inside the caller's transaction (a drizzle `tx`, or postgres.js `sql.begin`'s
 * handle): the message is stored and one delivery job is enqueued per enabled endpoint subscribed to
 * `type`, so nothing is sent for a change that rolls back. With no subscriber nothing is stored and
 * `messageId` is null. `payload` becomes the `data` of the body receivers get; keep it to ids and
 * the few fields a receiver acts on.
 *
 *   await deps.db.transaction(async (tx) => {
 *     const [marker] = await tx.insert(loopCompletions).values(...).returning();
 *     if (marker) await emitWebhookEvent(deps, tx, tenantId, "loop.completed", { recapId, ... });
 *   });
 *
 * A recap's own events are emitted by webhooks/recap-webhooks.ts, a reaction recaps/ calls inside
 * the state change's transaction.
 */
export async function emitWebhookEvent(
  deps: EmitDeps,
  tx: Tx,
  tenantId: string,
  type: WebhookEventType,
  payload: Record<string, unknown>,
): Promise<Emitted> {
  if ((type as string) === WEBHOOK_TEST_EVENT) throw new Error("webhook.test is sent by the test route only");
  const endpointIds = await subscribedEndpoints(tx, tenantId, type);
  if (endpointIds.length === 0) return { messageId: null, endpointIds };
  const messageId = await enqueueMessage(deps, tx, tenantId, type, payload, endpointIds);
  return { messageId, endpointIds };
}
