import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "../recaps/recaps.schema.js";

/**
 * Private links for the end customer to preview and publish an approved recap inside the product.
 * Only a SHA-256 of the token is stored; the link expires and can be revoked.
 */
export const previewTokens = pgTable(
  "preview_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    recapId: uuid("recap_id")
      .notNull()
      .references(() => recaps.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("preview_tokens_recap_idx").on(table.recapId)],
);
