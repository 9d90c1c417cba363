import { and, asc, eq, getTableColumns, gt, inArray, sql } from "drizzle-orm";
import type { SupportedLocale } from "../i18n/locales.js";
import type { DbExecutor } from "../platform/db/client.js";
import { notFound } from "../platform/errors.js";
import type { AccountInput } from "./account-input.js";
import { accounts } from "./usage.schema.js";

export type Account = typeof accounts.$inferSelect;

/** Creates or replaces an account by the tenant's own id for it. */
export async function upsertAccount(
  db: DbExecutor,
  tenantId: string,
  externalId: string,
  input: AccountInput,
): Promise<{ account: Account; created: boolean }> {
  const values = {
    name: input.name,
    locale: input.locale ?? null,
    currency: input.currency ?? null,
    timeZone: input.timeZone,
    segment: input.segment ?? null,
    seats: input.seats ?? null,
    subscriptionPrice: input.subscriptionPrice ?? null,
    subscriptionPeriod: input.subscriptionPeriod ?? null,
    consent: input.consent,
    contactEmail: input.contactEmail ?? null,
    contactConsentedAt: input.contactConsent ? new Date(input.contactConsent.consentedAt) : null,
    contactConsentSource: input.contactConsent?.source ?? null,
  };
  const [row] = await db
    .insert(accounts)
    .values({ tenantId, externalId, ...values })
    .onConflictDoUpdate({ target: [accounts.tenantId, accounts.externalId], set: { ...values, updatedAt: new Date() } })
    // xmax = 0 only on a freshly inserted row version: tells "created" from "updated".
    .returning({ ...getTableColumns(accounts), created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error("account upsert returned no row");
  const { created, ...account } = row;
  return { account, created };
}

export async function getAccountByExternalId(db: DbExecutor, tenantId: string, externalId: string): Promise<Account> {
  const [account] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.tenantId, tenantId), eq(accounts.externalId, externalId)));
  if (!account) throw notFound(`No account "${externalId}" in this tenant.`);
  return account;
}

/** Keyset pagination by external id. */
export function listAccounts(db: DbExecutor, tenantId: string, options: { after?: string; limit: number }) {
  return db
    .select()
    .from(accounts)
    .where(and(eq(accounts.tenantId, tenantId), options.after ? gt(accounts.externalId, options.after) : undefined))
    .orderBy(asc(accounts.externalId))
    .limit(options.limit);
}

/** External id → internal id for the given ids of one tenant (unknown ids are absent). */
export async function resolveAccountIds(
  db: DbExecutor,
  tenantId: string,
  externalIds: string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await db
    .select({ id: accounts.id, externalId: accounts.externalId })
    .from(accounts)
    .where(and(eq(accounts.tenantId, tenantId), inArray(accounts.externalId, externalIds)));
  return new Map(rows.map((row) => [row.externalId, row.id]));
}

/** What another source (a Segment `group` call) may say about an account: only these fields, each optional. */
export type AccountProfile = { name?: string; locale?: SupportedLocale; currency?: string; timeZone?: string };

/**
 * Creates the account from a profile with a name (the rest as PUT /v1/accounts would default it),
 * or changes only the fields the profile gives on an existing one, leaving seats, price, consent
 * and contact alone. Without a name an unknown account is not created: `null`.
 */
export async function mergeAccountProfile(
  db: DbExecutor,
  tenantId: string,
  externalId: string,
  profile: AccountProfile,
): Promise<{ account: Account; created: boolean } | null> {
  const given = {
    ...(profile.name !== undefined ? { name: profile.name } : {}),
    ...(profile.locale !== undefined ? { locale: profile.locale } : {}),
    ...(profile.currency !== undefined ? { currency: profile.currency } : {}),
    ...(profile.timeZone !== undefined ? { timeZone: profile.timeZone } : {}),
  };
  const columns = { ...getTableColumns(accounts), created: sql<boolean>`(xmax = 0)` };
  const [row] =
    profile.name !== undefined
      ? await db
          .insert(accounts)
          .values({
            tenantId,
            externalId,
            name: profile.name,
            consent: { publicRecap: true, peerComparison: true },
            ...given,
          })
          .onConflictDoUpdate({
            target: [accounts.tenantId, accounts.externalId],
            set: { ...given, updatedAt: new Date() },
          })
          .returning(columns)
      : Object.keys(given).length > 0
        ? await db
            .update(accounts)
            .set({ ...given, updatedAt: new Date() })
            .where(and(eq(accounts.tenantId, tenantId), eq(accounts.externalId, externalId)))
            // xmax tells created from updated only in an upsert; an update never creates.
            .returning({ ...columns, created: sql<boolean>`false` })
        : [];
  if (!row) return null;
  const { created, ...account } = row;
  return { account, created };
}
