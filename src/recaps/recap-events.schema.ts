import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "./recaps.schema.js";

/** A changed field: what it was and what it became (copy fields, hidden facts, state). */
export type FieldChange = { field: string; from: unknown; to: unknown };

/**
 * The audit trail: who did what to a recap, when, from which state to which, why, and what
 * changed. Append-only; the review screen's history and the customer's consent record read it.
 */
export const recapEvents = pgTable(
  "recap_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    recapId: uuid("recap_id")
      .notNull()
      .references(() => recaps.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    actorType: text("actor_type").notNull(),
    /** A user id, an API key id, or null for the system and the end customer. */
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    fromState: text("from_state").notNull(),
    toState: text("to_state").notNull(),
    reason: text("reason"),
    changes: jsonb("changes").$type<FieldChange[]>().notNull().default([]),
    /** The recap's version after this event. */
    version: integer("version").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("recap_events_recap_idx").on(table.recapId, table.at),
    // Two writers cannot both produce version N: the loser of a race fails here, never silently.
    uniqueIndex("recap_events_version_idx").on(table.recapId, table.version),
  ],
);
