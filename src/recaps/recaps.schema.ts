import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { RecapCopy, Wording } from "../drafting/copy.schema.js";
import type { DraftingRecord } from "../drafting/draft-copy.js";
import type { CopyVariant } from "../drafting/drafter.types.js";
import type { FactCheckResult } from "../drafting/fact-check.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import type { CardSize, Theme } from "../rendering/rendering.types.js";
import type { Digest } from "../usage/digest.types.js";
import { accounts } from "../usage/usage.schema.js";

/** Every state a recap can be in: the one list the schema, the API and the review queue use. */
export const RECAP_STATES = [
  "drafting",
  "pending_review",
  "approved",
  "published",
  "rejected",
  "redraft_requested",
  "failed",
  "unpublished",
  "archived",
] as const;

export type RecapState = (typeof RECAP_STATES)[number];

export type RecapKind = "quarterly" | "milestone" | "annual";

/**
 * What the end customer chose on their preview page before publishing: the cards' look, the card
 * size their page shows first, and where the headline and post came from (an alternative the
 * drafter offered, or their own edit). Empty until they choose; each choice is also an audit event.
 */
export type CustomerChoices = {
  theme?: Theme;
  firstCardSize?: CardSize;
  wording?: "drafted" | "alternative" | "edited";
};

/**
 * What started a recap: an API call, the quarterly schedule, a value-moment rule, or the demo
 * seed (the sample loop history of a fresh `npm start`, which the analytics say they include).
 */
export type RecapOrigin =
  | { type: "api" }
  | { type: "schedule" }
  | {
      type: "trigger";
      ruleId: string;
      detail: string;
      /** The rule's name when the recap was made (older recaps have none): the copy names the moment by it. */
      ruleName?: string;
      /** Every rule whose firing this recap answers (two rules firing at once make one recap). */
      ruleIds?: string[];
    }
  | { type: "demo" };

export const recaps = pgTable(
  "recaps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    kind: text("kind").$type<RecapKind>().notNull(),
    locale: text("locale").$type<SupportedLocale>().notNull(),
    state: text("state").$type<RecapState>().notNull(),
    digest: jsonb("digest").$type<Digest>().notNull(),
    origin: jsonb("origin").$type<RecapOrigin>().notNull(),
    /** The copy variant, chosen when the recap is created so loop analytics can compare A and B. */
    variant: text("variant").$type<CopyVariant>().notNull(),
    /** The copy, once drafted; reviewers edit it, the cards print it. */
    copy: jsonb("copy").$type<RecapCopy>(),
    /** Each number of the copy and the fact it matches (or the mismatch), for the review screen. */
    factCheck: jsonb("fact_check").$type<FactCheckResult>(),
    /** True when a reviewer must look closely: the fact-check failed or the LLM could not be used. */
    flagged: boolean("flagged").notNull().default(false),
    /**
     * Other wordings of the headline and post that the drafter offered with the copy, each through
     * the same fact-check and hidden-number rules (one with a failed number is never stored).
     */
    copyAlternatives: jsonb("copy_alternatives").$type<Wording[]>().notNull().default([]),
    /** The end customer's choices on the preview page (look, first card size, wording). */
    customerChoices: jsonb("customer_choices").$type<CustomerChoices>().notNull().default({}),
    /** Which drafter, model and prompt version made the copy, how many tries, token use and cost. */
    drafting: jsonb("drafting").$type<DraftingRecord>(),
    /** Facts the end customer hid before publishing (revenue, say): never drawn, never shared. */
    hiddenFactIds: text("hidden_fact_ids").array().notNull().default(sql`'{}'::text[]`),
    /**
     * The hidden facts the current copy was drafted without. Differs from hiddenFactIds while the
     * copy is being re-drafted after the customer hid or showed a number: nothing may be published then.
     */
    copyHiddenFactIds: text("copy_hidden_fact_ids").array().notNull().default(sql`'{}'::text[]`),
    /** Why the recap is in its state (the failure, the rejection reason). */
    stateReason: text("state_reason"),
    /** Optimistic concurrency: bumped on every change, sent as the ETag. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // At most one quarterly recap per account and quarter, however many processes try.
    uniqueIndex("recaps_quarterly_once_idx")
      .on(table.tenantId, table.accountId, table.period)
      .where(sql`${table.kind} = 'quarterly'`),
    // At most one year in review per account and year, however many schedule runs fire at once.
    uniqueIndex("recaps_annual_once_idx")
      .on(table.tenantId, table.accountId, table.period)
      .where(sql`${table.kind} = 'annual'`),
    index("recaps_tenant_state_idx").on(table.tenantId, table.state, table.createdAt),
    index("recaps_account_idx").on(table.accountId, table.createdAt),
    index("recaps_tenant_flagged_idx").on(table.tenantId, table.flagged, table.state),
  ],
);
