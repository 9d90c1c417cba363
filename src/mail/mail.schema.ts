import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { SupportedLocale } from "../i18n/locales.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "../recaps/recaps.schema.js";

export type MailTransportKind = "smtp" | "outbox";

/**
 * One row per recap approval whose customer is told by e-mail: the job claims the row (recap and
 * the version the approval produced) before sending and stamps it after, so a job that runs twice
 * sends once. The address is kept for the outbox page and the audit; erasing the account removes it.
 */
export const customerEmails = pgTable(
  "customer_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    recapId: uuid("recap_id")
      .notNull()
      .references(() => recaps.id, { onDelete: "cascade" }),
    /** The recap version the approval produced. */
    recapVersion: integer("recap_version").notNull(),
    toAddress: text("to_address"),
    subject: text("subject"),
    locale: text("locale").$type<SupportedLocale>(),
    transport: text("transport").$type<MailTransportKind>(),
    /** The Message-ID header of what was sent. */
    messageId: text("message_id"),
    /** For the outbox: the .eml file's name under `<DATA_DIR>/outbox/<tenant id>/`. */
    outboxFile: text("outbox_file"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("customer_emails_recap_version_idx").on(table.recapId, table.recapVersion),
    index("customer_emails_tenant_sent_idx").on(table.tenantId, table.sentAt),
  ],
);
