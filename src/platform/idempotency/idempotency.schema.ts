import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/tenancy.schema.js";

/**
 * in_progress: the first request is running. completed: its response is stored and replayed.
 * secret_shown: it succeeded, but its response carried a secret (an API key, a webhook signing
 * secret) that is shown once and never stored, so a retry is told so instead of a replay.
 */
export type IdempotencyState = "in_progress" | "completed" | "secret_shown";

/**
 * One row per (tenant, caller, Idempotency-Key). A record belongs to the caller that made it (one
 * API key, or one signed-in user) and is replayed to nobody else, for 24 hours, to a retry with the
 * same request.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /**
     * `api_key:<id>` or `user:<id>`. Rows from before callers were recorded have '' and match no
     * caller (the migration deletes them).
     */
    caller: text("caller").notNull().default(""),
    key: text("key").notNull(),
    /** SHA-256 over method, path and body: a different request under the same key is refused. */
    requestHash: text("request_hash").notNull(),
    state: text("state").$type<IdempotencyState>().notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    /** The response body; always null for secret_shown, so no secret sits in the database. */
    responseBody: text("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  // A unique index rather than the primary key: drizzle-kit orders "add primary key" before "add
  // column" when both change at once, so a key over the new column could not be migrated to.
  (table) => [uniqueIndex("idempotency_keys_record_idx").on(table.tenantId, table.caller, table.key)],
);
