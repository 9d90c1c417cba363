import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "../recaps/recaps.schema.js";

export const SHARE_CHANNELS = ["linkedin", "email", "copy", "x", "other"] as const;
export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/** A tracked link to a published recap: `/s/:code` (the share page) and `/r/:code` (the redirect). */
export const shareLinks = pgTable(
  "share_links",
  {
    /** Base62 from crypto.randomBytes (12 characters, ~71 bits): short and unguessable. */
    code: text("code").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Null once the recap is erased: the link then answers 410 Gone rather than 404. */
    recapId: uuid("recap_id").references(() => recaps.id, { onDelete: "set null" }),
    channel: text("channel").$type<ShareChannel>().notNull(),
    /** The recap's version when the link was made (the `v` of its first share URL). */
    recapVersion: integer("recap_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("share_links_recap_idx").on(table.tenantId, table.recapId, table.createdAt)],
);

/**
 * Every request to `/r/:code` (and LinkedInBot's fetch of `/s/:code`), written in batches by the
 * click buffer. No raw IP is ever stored: `visitor_hash` is SHA-256(daily salt + IP + user agent).
 */
export const linkClicks = pgTable(
  "link_clicks",
  {
    id: uuid("id").primaryKey(),
    code: text("code")
      .notNull()
      .references(() => shareLinks.code, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    recapId: uuid("recap_id").references(() => recaps.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** The hour (UTC) of `at`: one counted click per visitor, link and hour. */
    hourBucket: timestamp("hour_bucket", { withTimezone: true }).notNull(),
    /** Null when the visitor asked not to be tracked (Sec-GPC: 1 or DNT: 1). */
    visitorHash: text("visitor_hash"),
    referrerHost: text("referrer_host"),
    country: text("country"),
    isBot: boolean("is_bot").notNull(),
    botReason: text("bot_reason"),
    method: text("method").notNull(),
    /** A human click, counted after dedupe. */
    counted: boolean("counted").notNull(),
    /** LinkedInBot fetched the share page: someone is composing a LinkedIn post with it. */
    shareStarted: boolean("share_started").notNull().default(false),
  },
  (table) => [
    // Holds across instances: a second counted click of the same visitor in the hour cannot exist.
    uniqueIndex("link_clicks_counted_once_idx")
      .on(table.code, table.visitorHash, table.hourBucket)
      .where(sql`${table.counted} and ${table.visitorHash} is not null`),
    index("link_clicks_tenant_recap_idx").on(table.tenantId, table.recapId, table.at),
    index("link_clicks_code_idx").on(table.code, table.at),
  ],
);

/**
 * How many counted visitors each client address brought to a link in an hour, so one machine
 * cycling user agents cannot pose as many visitors (`CLICK_VISITORS_PER_ADDRESS_PER_HOUR`). The
 * address is kept only as SHA-256(daily salt + IP); rows older than a day are deleted.
 */
export const linkClickAddressTallies = pgTable(
  "link_click_address_tallies",
  {
    code: text("code")
      .notNull()
      .references(() => shareLinks.code, { onDelete: "cascade" }),
    addressHash: text("address_hash").notNull(),
    hourBucket: timestamp("hour_bucket", { withTimezone: true }).notNull(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Clicks from the address that passed the per-visitor dedupe; beyond the cap they are stored uncounted. */
    visitors: integer("visitors").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.code, table.addressHash, table.hourBucket] }),
    index("link_click_address_tallies_hour_idx").on(table.hourBucket),
  ],
);

/** Service-wide secrets created once on first use (the visitor-hash salt's root). */
export const sharingSecrets = pgTable("sharing_secrets", {
  name: text("name").primaryKey(),
  secret: text("secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
