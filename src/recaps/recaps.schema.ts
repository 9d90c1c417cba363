import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import type { Digest } from "../usage/digest.types.js";
import { accounts } from "../usage/usage.schema.js";

export type RecapState =
  | "drafting"
  | "pending_review"
  | "approved"
  | "published"
  | "rejected"
  | "redraft_requested"
  | "failed"
  | "unpublished"
  | "archived";

export type RecapKind = "quarterly" | "milestone";

/** What started a recap: an API call, the quarterly schedule, or a value-moment rule. */
export type RecapOrigin = { type: "api" } | { type: "schedule" } | { type: "trigger"; ruleId: string; detail: string };

export const recaps = pgTable(
  "recaps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    kind: text("kind").$type<RecapKind>().notNull(),
    locale: text("locale").notNull(),
    state: text("state").$type<RecapState>().notNull(),
    digest: jsonb("digest").$type<Digest>().notNull(),
    origin: jsonb("origin").$type<RecapOrigin>().notNull(),
    /** Why the recap is in its state (the failure, the rejection reason). */
    stateReason: text("state_reason"),
    /** Optimistic concurrency: bumped on every change, sent as the ETag. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // At most one quarterly recap per account and quarter, however many processes try.
    uniqueIndex("recaps_quarterly_once_idx")
      .on(table.tenantId, table.accountId, table.period)
      .where(sql`${table.kind} = 'quarterly'`),
    index("recaps_tenant_state_idx").on(table.tenantId, table.state, table.createdAt),
    index("recaps_account_idx").on(table.accountId, table.createdAt),
  ],
);
