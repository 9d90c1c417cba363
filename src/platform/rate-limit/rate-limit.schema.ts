import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Rate-limit state shared by every API instance: one row per limited key (an API key and the
 * policy's name) holding the GCRA "theoretical arrival time". One upsert per request decides.
 */
export const rateLimitState = pgTable("rate_limit_state", {
  key: text("key").primaryKey(),
  tat: timestamp("tat", { withTimezone: true, precision: 6 }).notNull(),
});
