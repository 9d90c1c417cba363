import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../tenancy/tenancy.schema.js";

/**
 * One row per (tenant, Idempotency-Key). While the first request runs the row is "in_progress";
 * afterwards it holds the response, replayed for 24 hours to a retry with the same body.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** SHA-256 over method, path and body: a different request under the same key is refused. */
    requestHash: text("request_hash").notNull(),
    state: text("state").$type<"in_progress" | "completed">().notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseBody: text("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.key] })],
);
