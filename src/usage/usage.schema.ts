import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { SupportedLocale } from "../i18n/locales.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";

/** A metric's name per language, the tenant's own: it wins over the wording shipped in locales/. */
export type MetricLabels = Partial<Record<SupportedLocale, string>>;

export type AccountConsent = {
  /** The account allows a public share page under its name. */
  publicRecap: boolean;
  /** The account may be compared with peers (it is always counted in the peer group's data). */
  peerComparison: boolean;
};

/** The tenant's customers: whose usage is recapped. */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    locale: text("locale").$type<SupportedLocale>(),
    currency: text("currency"),
    timeZone: text("time_zone").notNull().default("UTC"),
    segment: text("segment"),
    seats: integer("seats"),
    /** What the account pays per `subscriptionPeriod`, in its currency; for ROI. */
    subscriptionPrice: numeric("subscription_price", { precision: 14, scale: 2, mode: "number" }),
    subscriptionPeriod: text("subscription_period").$type<"month" | "quarter" | "year">(),
    consent: jsonb("consent").$type<AccountConsent>().notNull(),
    /** Where the customer hears that a recap is ready (an approved recap's preview link is e-mailed here). */
    contactEmail: text("contact_email"),
    /** When the contact agreed to these e-mails, and where the tenant recorded it; null: no e-mail is sent. */
    contactConsentedAt: timestamp("contact_consented_at", { withTimezone: true }),
    contactConsentSource: text("contact_consent_source"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("accounts_tenant_external_idx").on(table.tenantId, table.externalId),
    index("accounts_tenant_segment_idx").on(table.tenantId, table.segment),
  ],
);

/**
 * Raw product events. Tenant and account ids are stored on every row so the digest's aggregates
 * read one index range; `event_id` makes re-sent batches harmless. The table is partitioned by
 * month of `occurred_at` (migration partition_usage_events; usage/partitions.ts creates months
 * ahead and drops those past USAGE_RETENTION_MONTHS), so every unique key includes `occurred_at`:
 * a re-sent event (same id, same time) is skipped.
 */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    tenantId: uuid("tenant_id").notNull(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    quantity: doublePrecision("quantity").notNull().default(1),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    eventId: text("event_id"),
    properties: jsonb("properties").$type<Record<string, unknown>>(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("usage_events_id_idx").on(table.id, table.occurredAt),
    uniqueIndex("usage_events_dedupe_idx")
      .on(table.tenantId, table.eventId, table.occurredAt)
      .where(sql`${table.eventId} is not null`),
    index("usage_events_account_event_time_idx").on(table.accountId, table.event, table.occurredAt),
  ],
);

export type OutcomeKind = "time_saved" | "money" | "risk_reduced" | "speed_gained" | "adoption";
export type Aggregation = "sum" | "count" | "distinct" | "max" | "average";

export type MetricUnit = "minutes" | "hours" | "days" | "count" | "money" | "percent";

/** The tenant's value model: one row per outcome metric. */
export const metricDefinitions = pgTable(
  "metric_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    label: text("label").notNull(),
    /** The name in the recap's language, per locale; a locale left out gets the shipped default. */
    labels: jsonb("labels").$type<MetricLabels>().notNull().default({}),
    event: text("event").notNull(),
    outcomeKind: text("outcome_kind").$type<OutcomeKind>().notNull(),
    /** The unit of `aggregate × multiplier`; time in minutes is shown in hours when large. */
    unit: text("unit").$type<MetricUnit>().notNull(),
    aggregation: text("aggregation").$type<Aggregation>().notNull(),
    /** For `distinct`: the property whose distinct values are counted (e.g. "user_id"). */
    distinctProperty: text("distinct_property"),
    /** The conversion: "3 minutes saved per run" is count × 3 in minutes. */
    multiplier: doublePrecision("multiplier").notNull().default(1),
    /** Money per hour for time metrics, in the account's currency: turns time into money. */
    hourlyRate: numeric("hourly_rate", { precision: 12, scale: 2, mode: "number" }),
    higherIsBetter: boolean("higher_is_better").notNull().default(true),
    priority: integer("priority").notNull().default(100),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("metric_definitions_tenant_key_idx").on(table.tenantId, table.key)],
);

/**
 * Usage rolled up into 15-minute UTC buckets as events arrive. Every real time zone's offset is
 * a multiple of 15 minutes, so a quarter in any zone is a whole number of buckets: the digest
 * reads a few thousand rollup rows instead of millions of events. `usage_events` stays the
 * source of truth.
 */
export const usageRollups = pgTable(
  "usage_rollups",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    bucket: timestamp("bucket", { withTimezone: true }).notNull(),
    tenantId: uuid("tenant_id").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
    sum: doublePrecision("sum").notNull(),
    max: doublePrecision("max").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.event, table.bucket] }),
    index("usage_rollups_tenant_event_bucket_idx").on(table.tenantId, table.event, table.bucket),
  ],
);

/** The distinct values of properties that `distinct` metrics count, per 15-minute bucket. */
export const usageDistinctValues = pgTable(
  "usage_distinct_values",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    property: text("property").notNull(),
    bucket: timestamp("bucket", { withTimezone: true }).notNull(),
    value: text("value").notNull(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.event, table.property, table.bucket, table.value] })],
);

/**
 * The same distinct values per UTC day: a quarter's distinct count reads its whole days here and
 * only the partial days at its edges (a zone's midnight is not UTC's) from the 15-minute table, so
 * the digest's cost grows with the days in the period, not with the events in them.
 */
export const usageDailyDistinctValues = pgTable(
  "usage_daily_distinct_values",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    property: text("property").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    value: text("value").notNull(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.event, table.property, table.day, table.value] })],
);
