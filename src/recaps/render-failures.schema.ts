import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "./recaps.schema.js";

/**
 * Why a recap's assets could not be rendered, for the version they were rendered for: shown on
 * the recap (API and review page) and blocking publication until a render succeeds, which
 * deletes the row. Part of the recap (its JSON shows it); assets/ records it through
 * recaps/render-failures.ts.
 */
export const recapRenderFailures = pgTable("recap_render_failures", {
  recapId: uuid("recap_id")
    .primaryKey()
    .references(() => recaps.id, { onDelete: "cascade" }),
  tenantId: uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
  recapVersion: integer("recap_version").notNull(),
  /** `glyph_coverage` (fix the text: rendering again will not help) or `error`. */
  code: text("code").$type<"glyph_coverage" | "error">().notNull(),
  reason: text("reason").notNull(),
  failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
});
