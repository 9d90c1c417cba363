import { index, integer, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";

/**
 * One row per call to an LLM, successful or not: what the monthly budget is checked against, and
 * what a tenant is shown when it asks where its tokens went. Rows outlive their recap on purpose
 * (deleting a recap does not refund the tokens it cost).
 */
export const llmUsage = pgTable(
  "llm_usage",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    recapId: uuid("recap_id"),
    model: text("model").notNull(),
    promptTokens: integer("prompt_tokens").notNull(),
    completionTokens: integer("completion_tokens").notNull(),
    /** In US dollars, from the configured price per million tokens. */
    costUsd: numeric("cost_usd", { precision: 18, scale: 10, mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("llm_usage_tenant_month_idx").on(table.tenantId, table.createdAt)],
);
