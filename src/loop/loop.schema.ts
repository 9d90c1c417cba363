import { index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "../recaps/recaps.schema.js";
import { shareLinks } from "../sharing/sharing.schema.js";

export const CONVERSION_TYPES = ["signup", "activation", "paid"] as const;
export type ConversionType = (typeof CONVERSION_TYPES)[number];

/** A signup (activation, payment) the tenant's backend reports for a visitor who came through a share link. */
export const conversions = pgTable(
  "conversions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The share link's code, sent back as `ref` (the signup URL carries it). */
    ref: text("ref")
      .notNull()
      .references(() => shareLinks.code, { onDelete: "cascade" }),
    /** The link's recap when the conversion arrived; null if the recap was erased. */
    recapId: uuid("recap_id").references(() => recaps.id, { onDelete: "set null" }),
    type: text("type").$type<ConversionType>().notNull(),
    externalUserId: text("external_user_id").notNull(),
    value: numeric("value", { precision: 18, scale: 4, mode: "number" }),
    /** ISO 4217, present exactly when `value` is. */
    currency: text("currency"),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One conversion of a type per external user: a resend is answered with the stored one.
    uniqueIndex("conversions_once_idx").on(table.tenantId, table.type, table.externalUserId),
    index("conversions_recap_idx").on(table.tenantId, table.recapId, table.type),
    index("conversions_ref_idx").on(table.ref),
  ],
);

/**
 * Insert-once marker: a recap's first signup inserts its row (primary key = recap), and only the
 * transaction that inserted it emits `loop.completed`, however many first signups race.
 */
export const loopCompletions = pgTable("loop_completions", {
  recapId: uuid("recap_id")
    .primaryKey()
    .references(() => recaps.id, { onDelete: "cascade" }),
  tenantId: uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
  conversionId: uuid("conversion_id")
    .notNull()
    .references(() => conversions.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
