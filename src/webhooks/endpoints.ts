import { and, desc, eq, max } from "drizzle-orm";
import type { Deps } from "../deps.js";
import type { Database } from "../platform/db/client.js";
import { decodeCursor, encodeCursor, olderThanCursor } from "../platform/db/keyset.js";
import { conflict, notFound, validationFailed } from "../platform/errors.js";
import { checkTargetUrl } from "./address-policy.js";
import { enqueueMessage } from "./emit.js";
import {
  DELIVER_WEBHOOK_JOB,
  type DeliverWebhookData,
  WEBHOOK_TEST_EVENT,
  type WebhookEventType,
} from "./event-types.js";
import { generateSecret, SECRET_OVERLAP_MS } from "./signing.js";
import { targetPolicy } from "./target-policy.js";
import { type WebhookEndpoint, webhookDeliveries, webhookEndpoints, webhookMessages } from "./webhooks.schema.js";

type Deps_ = Pick<Deps, "db" | "queue" | "clock" | "config">;

export type EndpointInput = { url: string; events?: WebhookEventType[] | null; description?: string };
export type EndpointPatch = Partial<EndpointInput> & { enabled?: boolean };

/** Refuses URLs that are not https (unless allowed) or that name a private host, as a 400 on `url`. */
function checkedUrl(deps: Pick<Deps, "config">, raw: string): string {
  const checked = checkTargetUrl(raw, targetPolicy(deps.config));
  if (!checked.ok) throw validationFailed([{ path: "url", message: checked.message }]);
  return checked.url.href;
}

const eventList = (events: WebhookEventType[] | null | undefined) => (events ? [...new Set(events)].sort() : null);

export async function getEndpoint(db: Database, tenantId: string, id: string): Promise<WebhookEndpoint> {
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)));
  if (!endpoint) throw notFound("The webhook endpoint does not exist or belongs to another tenant.");
  return endpoint;
}

export async function createEndpoint(deps: Deps_, tenantId: string, input: EndpointInput) {
  const url = checkedUrl(deps, input.url);
  const secret = generateSecret();
  const now = deps.clock.now();
  const [endpoint] = await deps.db
    .insert(webhookEndpoints)
    .values({
      tenantId,
      url,
      description: input.description ?? "",
      eventTypes: eventList(input.events),
      secret,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!endpoint) throw new Error("endpoint insert returned no row");
  return { endpoint, secret };
}

export function listEndpoints(db: Database, tenantId: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.tenantId, tenantId))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
}

export async function updateEndpoint(deps: Deps_, tenantId: string, id: string, patch: EndpointPatch) {
  const current = await getEndpoint(deps.db, tenantId, id);
  const now = deps.clock.now();
  const enable = patch.enabled === true && current.disabledAt !== null;
  const disable = patch.enabled === false && current.disabledAt === null;
  const [updated] = await deps.db
    .update(webhookEndpoints)
    .set({
      ...(patch.url !== undefined ? { url: checkedUrl(deps, patch.url) } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.events !== undefined ? { eventTypes: eventList(patch.events) } : {}),
      ...(enable ? { disabledAt: null, disabledReason: null } : {}),
      ...(disable ? { disabledAt: now, disabledReason: "Disabled through the API." } : {}),
      updatedAt: now,
    })
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
    .returning();
  if (!updated) throw notFound("The webhook endpoint does not exist or belongs to another tenant.");
  return updated;
}

export async function deleteEndpoint(db: Database, tenantId: string, id: string) {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw notFound("The webhook endpoint does not exist or belongs to another tenant.");
}

/**
 * A new current secret; the old one keeps signing next to it for 24 hours so receivers can switch
 * without dropping events. A second rotation within that window retires the oldest secret at once.
 */
export async function rotateSecret(deps: Deps_, tenantId: string, id: string) {
  const current = await getEndpoint(deps.db, tenantId, id);
  const now = deps.clock.now();
  const secret = generateSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + SECRET_OVERLAP_MS);
  const [updated] = await deps.db
    .update(webhookEndpoints)
    .set({ secret, previousSecret: current.secret, previousSecretExpiresAt, updatedAt: now })
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
    .returning();
  if (!updated) throw notFound("The webhook endpoint does not exist or belongs to another tenant.");
  return { endpoint: updated, secret };
}

function assertEnabled(endpoint: WebhookEndpoint) {
  if (endpoint.disabledAt) {
    throw conflict(
      `The endpoint is disabled (${endpoint.disabledReason ?? "no reason recorded"}). Enable it with PATCH {"enabled": true} first.`,
    );
  }
}

/** Sends `webhook.test` to this endpoint only, whatever it subscribes to: one attempt, no retries. */
export async function sendTestEvent(deps: Deps_, tenantId: string, id: string) {
  const endpoint = await getEndpoint(deps.db, tenantId, id);
  assertEnabled(endpoint);
  const payload = { endpointId: endpoint.id, note: "A test event sent through POST /v1/webhooks/{id}/test." };
  const messageId = await deps.db.transaction((tx) =>
    enqueueMessage(deps, tx, tenantId, WEBHOOK_TEST_EVENT, payload, [endpoint.id], "test"),
  );
  return { messageId };
}

/** Sends a logged attempt's message again, as one more attempt (no automatic retries follow it). */
export async function redeliver(deps: Deps_, tenantId: string, endpointId: string, deliveryId: string) {
  const endpoint = await getEndpoint(deps.db, tenantId, endpointId);
  const [delivery] = await deps.db
    .select({ messageId: webhookDeliveries.messageId })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.endpointId, endpoint.id),
        eq(webhookDeliveries.id, deliveryId),
      ),
    );
  if (!delivery) throw notFound("The delivery does not exist for this endpoint.");
  assertEnabled(endpoint);
  const [last] = await deps.db
    .select({ attempt: max(webhookDeliveries.attempt) })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.messageId, delivery.messageId)));
  const data: DeliverWebhookData = {
    tenantId,
    endpointId: endpoint.id,
    messageId: delivery.messageId,
    attempt: (last?.attempt ?? 0) + 1,
    oneOff: "manual",
  };
  await deps.queue.enqueue(DELIVER_WEBHOOK_JOB, data);
  return { messageId: data.messageId, attempt: data.attempt };
}

/** Attempts to one endpoint, newest first, keyset-paginated on (attempted_at, id). */
export async function listDeliveries(
  db: Database,
  tenantId: string,
  endpointId: string,
  page: { cursor?: string | undefined; limit: number },
) {
  const endpoint = await getEndpoint(db, tenantId, endpointId);
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: webhookMessages.type })
    .from(webhookDeliveries)
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookDeliveries.messageId))
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.endpointId, endpoint.id),
        olderThanCursor(webhookDeliveries.attemptedAt, webhookDeliveries.id, after),
      ),
    )
    .orderBy(desc(webhookDeliveries.attemptedAt), desc(webhookDeliveries.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1)?.delivery;
  const next = rows.length > page.limit && last ? encodeCursor(last.attemptedAt, last.id) : null;
  return { items, next };
}
