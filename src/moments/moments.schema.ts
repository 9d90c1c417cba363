import { doublePrecision, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "../recaps/recaps.schema.js";
import { accounts } from "../usage/usage.schema.js";

export type MomentKind = "threshold" | "first_event" | "distinct_users";

/** Open: pending (being tried) and insufficient_data (tried again with new usage). */
export type FiringOutcome = "created" | "insufficient_data" | "pending" | "skipped_recent_milestone";
export const OPEN_OUTCOMES: FiringOutcome[] = ["pending", "insufficient_data"];

/**
 * Value moments: rules evaluated as usage arrives that create a milestone recap — a metric
 * crossing a threshold within a window, the first occurrence of an event, or N distinct users of
 * an event within a window.
 */
export const momentRules = pgTable(
  "moment_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").$type<MomentKind>().notNull(),
    /** threshold: the value-model metric whose value over the window is compared. */
    metricKey: text("metric_key"),
    /** first_event and distinct_users: the event name. */
    event: text("event"),
    /** distinct_users: the property whose distinct values are counted (e.g. user_id). */
    property: text("property"),
    threshold: doublePrecision("threshold"),
    windowDays: integer("window_days"),
    cooldownDays: integer("cooldown_days").notNull().default(30),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("moment_rules_tenant_idx").on(table.tenantId)],
);

/**
 * Each time a rule fired for an account, and what came of it. A firing that could not make a
 * recap yet (`insufficient_data`, with its reason) stays open: the account's next usage tries it
 * again, until it makes a recap or its rule is deleted. The cooldown counts from `resolvedAt`.
 */
export const momentFirings = pgTable(
  "moment_firings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => momentRules.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id").notNull(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    firedAt: timestamp("fired_at", { withTimezone: true }).notNull(),
    /** What the rule saw, e.g. "hours_saved reached 112 in 30 days (threshold 100)". */
    detail: text("detail").notNull(),
    outcome: text("outcome").$type<FiringOutcome>().notNull(),
    recapId: uuid("recap_id").references(() => recaps.id, { onDelete: "set null" }),
    /** Why the last try made no recap (the data gate's reasons), null once it made one. */
    reason: text("reason"),
    attempts: integer("attempts").notNull().default(1),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    /** When it stopped being open: the recap was made (or a recent one covered it). */
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (table) => [
    index("moment_firings_rule_account_idx").on(table.ruleId, table.accountId, table.firedAt),
    index("moment_firings_rule_time_idx").on(table.ruleId, table.firedAt, table.id),
    index("moment_firings_recap_idx").on(table.recapId),
  ],
);
