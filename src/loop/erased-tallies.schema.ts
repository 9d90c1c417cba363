import { index, integer, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { SupportedLocale } from "../i18n/locales.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";

/**
 * What an erased account's recaps contributed to the growth loop, as anonymous counts: no account,
 * no copy, no link codes, no visitor data. Loop analytics add these rows to the live recaps so the
 * growth numbers of past quarters do not change when a customer is erased.
 */
export const erasedRecapTallies = pgTable(
  "erased_recap_tallies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    locale: text("locale").$type<SupportedLocale>().notNull(),
    variant: text("variant").notNull(),
    kind: text("kind").notNull(),
    segment: text("segment"),
    /** The channel of the recap's first link with a human click (the "shared" stage), if any. */
    channel: text("channel"),
    generatedAt: timestamp("generated_at", { withTimezone: true }).notNull(),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    sharedAt: timestamp("shared_at", { withTimezone: true }),
    firstSignupAt: timestamp("first_signup_at", { withTimezone: true }),
    humanClicks: integer("human_clicks").notNull(),
    botClicks: integer("bot_clicks").notNull(),
    visitors: integer("visitors").notNull(),
    shareStarts: integer("share_starts").notNull(),
    signups: integer("signups").notNull(),
    activations: integer("activations").notNull(),
    paid: integer("paid").notNull(),
    /** Attributed revenue in the tenant's currency (paid conversions in other currencies are left out). */
    revenue: numeric("revenue", { precision: 18, scale: 4, mode: "number" }).notNull(),
    llmCostUsd: numeric("llm_cost_usd", { precision: 18, scale: 10, mode: "number" }).notNull(),
    erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("erased_recap_tallies_tenant_idx").on(table.tenantId, table.generatedAt)],
);
