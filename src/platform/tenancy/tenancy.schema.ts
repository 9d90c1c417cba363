import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { SupportedLocale } from "../../i18n/locales.js";
import { bytea } from "../db/column-types.js";

export type TenantBrand = {
  /** Hex colours used by the card templates. */
  primaryColor: string;
  accentColor: string;
  backgroundColor: string;
  /** The product name printed on cards ("Acme Flows"). */
  productName: string;
  /**
   * The card design: "classic" (light, the lead number on a brand-colour block) or "bold" (dark, big
   * numbers). New tenants get bold unless they choose; absent (tenants from before): classic.
   */
  theme?: "classic" | "bold";
};

/** Text per recap language ("what is <product>" on the public share page); a language left out has none. */
export type LocalizedText = Partial<Record<"en" | "et" | "fi" | "de" | "sv", string>>;

export type ApprovalPolicy = "manual" | "auto_when_clean";

/** Which copy variant new recaps get: always A, always B, or a deterministic 50/50 split by account. */
export type VariantPolicy = "A" | "B" | "split";

/**
 * What the growth team tells us about its other channels, so loop analytics can put the loop's
 * cost of acquisition next to them. Amounts are in the tenant's currency.
 */
export type LoopEconomics = {
  /** Cost of acquiring one paying customer through paid channels (ads, outbound). */
  paidChannelCac?: number | null;
  /** Lifetime value of a paying customer; absent: attributed revenue per paying customer is used. */
  customerLtv?: number | null;
  /** What a reward to the sharing customer costs when their recap brings its first signup. */
  rewardPerCompletedLoop?: number | null;
  /** Customer-success time per reviewed recap, priced. */
  reviewCostPerRecap?: number | null;
  /** Units of the tenant's currency per US dollar, to price LLM spend (recorded in USD). */
  usdExchangeRate?: number | null;
};

/**
 * What the tenant gives a customer whose recap brings its first signup (`loop.completed`), in the
 * words of each language the customer may read it in ("A month of the Team plan, on us"). The
 * customer's share hub shows it; the tenant grants it on the webhook.
 */
export type ShareReward = Partial<Record<"en" | "et" | "fi" | "de" | "sv", string>>;

export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  defaultLocale: text("default_locale").$type<SupportedLocale>().notNull().default("en"),
  currency: text("currency").notNull().default("EUR"),
  signupUrl: text("signup_url"),
  brand: jsonb("brand").$type<TenantBrand>().notNull(),
  /** Logo bytes are stored with the tenant: nothing is fetched from arbitrary URLs at render time. */
  logoContentType: text("logo_content_type"),
  logo: bytea("logo"),
  approvalPolicy: text("approval_policy").$type<ApprovalPolicy>().notNull().default("manual"),
  variantPolicy: text("variant_policy").$type<VariantPolicy>().notNull().default("split"),
  /** LLM tokens the tenant may spend per calendar month (UTC); null: the service's default. */
  monthlyTokenBudget: integer("monthly_token_budget"),
  /** Quarterly recaps are created this many days after each quarter ends; null turns the schedule off. */
  recapScheduleDay: integer("recap_schedule_day"),
  /** "12-01": each account's year in review (the year so far) is created on this day; null turns it off. */
  annualRecapDay: text("annual_recap_day"),
  /** "FI", "DE-BY": whose public holidays the schedule skips like weekends; null: weekends only. */
  holidayCalendar: text("holiday_calendar"),
  loopEconomics: jsonb("loop_economics").$type<LoopEconomics>().notNull().default({}),
  /** Null: the tenant offers no reward for sharing, and the share hub mentions none. */
  shareReward: jsonb("share_reward").$type<ShareReward>(),
  /** "What is <product>" for visitors of a share page: a one-line tagline and a short description per language. */
  productTagline: jsonb("product_tagline").$type<LocalizedText>().notNull().default({}),
  productDescription: jsonb("product_description").$type<LocalizedText>().notNull().default({}),
  /** The tenant's public website, linked from the share page and its 404/410 pages; null: the signup URL's origin. */
  websiteUrl: text("website_url"),
  provisionedAt: timestamp("provisioned_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The visible start of the key ("ork_3fa9c2d1"), so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key; the key itself is shown once and never stored. */
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("api_keys_key_hash_idx").on(table.keyHash), index("api_keys_tenant_idx").on(table.tenantId)],
);

export type UserRole = "reviewer" | "admin";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role").$type<UserRole>().notNull(),
    /** scrypt$N$r$p$salt$hash, see passwords.ts. */
    passwordHash: text("password_hash").notNull(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // An e-mail address is unique within a tenant only: one person may review for two tenants with
  // one address, and no tenant can learn of (or block) an address another tenant uses. Sign-in
  // finds the tenant by the password, and asks which workspace when it opens several.
  (table) => [uniqueIndex("users_tenant_email_idx").on(table.tenantId, sql`lower(${table.email})`)],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie value, so a database dump holds no usable session. */
    idHash: text("id_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    csrfToken: text("csrf_token").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

/** Failed sign-ins, kept in the database so the login rate limit holds across instances. */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Lower-cased e-mail address that was tried. */
    email: text("email").notNull(),
    /** SHA-256 of the client address; the raw address is not kept. */
    clientHash: text("client_hash").notNull(),
    failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("login_failures_email_idx").on(table.email, table.failedAt),
    index("login_failures_client_idx").on(table.clientHash, table.failedAt),
  ],
);
