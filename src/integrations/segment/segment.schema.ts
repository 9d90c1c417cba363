import { pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/tenancy/tenancy.schema.js";

/**
 * Which account a Segment user belongs to, learnt from their latest `group` call (or an `identify`
 * naming a group), so that a later `track` without `context.groupId` still finds its account.
 * Keyed by the account's external id, not its row: a `group` may come before the account exists.
 */
export const segmentUserAccounts = pgTable(
  "segment_user_accounts",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    accountExternalId: text("account_external_id").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.userId] })],
);
