import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";

/**
 * Where a tenant wants its events: an https URL (checked again before every delivery), the event
 * types it subscribes to (null: all of them) and its signing secrets. During a rotation the previous
 * secret keeps signing next to the new one until it expires, so receivers can roll over.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** Subscribed event types; null subscribes to every type (including ones added later). */
    eventTypes: text("event_types").array(),
    /** `whsec_` + base64 of 24 random bytes. Stored as is: signing needs the key itself. */
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    /** Set when the receiver answered 410 Gone or an admin turned the endpoint off; nothing is sent then. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("webhook_endpoints_tenant_idx").on(table.tenantId, table.createdAt)],
);

/** One event, as every endpoint receives it: `msg_…` is the `webhook-id` receivers deduplicate on. */
export const webhookMessages = pgTable(
  "webhook_messages",
  {
    id: text("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("webhook_messages_tenant_idx").on(table.tenantId, table.createdAt)],
);

export type DeliveryTrigger = "event" | "retry" | "manual" | "test";

/** Every attempt to deliver a message to an endpoint, successful or not. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    messageId: text("message_id")
      .notNull()
      .references(() => webhookMessages.id, { onDelete: "cascade" }),
    /** The pg-boss job that made the attempt: a job that runs twice logs (and schedules) once. */
    jobId: text("job_id"),
    attempt: integer("attempt").notNull(),
    trigger: text("trigger").$type<DeliveryTrigger>().notNull(),
    status: text("status").$type<"succeeded" | "failed">().notNull(),
    /** The receiver's HTTP status; null when no response came (refused, timeout, connection error). */
    statusCode: integer("status_code"),
    /** The start of the response body, at most 1 KB. */
    responseSnippet: text("response_snippet"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull(),
    /** When the next automatic attempt is due; null when none follows. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  },
  (table) => [
    index("webhook_deliveries_endpoint_idx").on(table.endpointId, table.attemptedAt, table.id),
    index("webhook_deliveries_message_idx").on(table.messageId),
    uniqueIndex("webhook_deliveries_job_idx").on(table.jobId).where(sql`${table.jobId} is not null`),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookMessage = typeof webhookMessages.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
