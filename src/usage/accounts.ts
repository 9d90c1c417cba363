import { and, asc, eq, getTableColumns, gt, inArray, sql } from "drizzle-orm";
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
