import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbExecutor } from "../../platform/db/client.js";
import { segmentUserAccounts } from "./segment.schema.js";

/** Remembers that `userId` belongs to the account `externalId` (the latest group call wins). */
export async function rememberUserAccount(
  db: DbExecutor,
  tenantId: string,
  userId: string,
  externalId: string,
  now: Date,
): Promise<void> {
  await db
    .insert(segmentUserAccounts)
    .values({ tenantId, userId, accountExternalId: externalId, updatedAt: now })
    .onConflictDoUpdate({
      target: [segmentUserAccounts.tenantId, segmentUserAccounts.userId],
      set: { accountExternalId: externalId, updatedAt: now },
      // An older message replayed late (a client's retry queue) does not undo a newer group call.
      setWhere: sql`${segmentUserAccounts.updatedAt} <= ${now.toISOString()}::timestamptz`,
    });
}

/** userId → account external id, for the users of one tenant that have one. */
export async function accountsOfUsers(
  db: DbExecutor,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: segmentUserAccounts.userId, account: segmentUserAccounts.accountExternalId })
    .from(segmentUserAccounts)
    .where(and(eq(segmentUserAccounts.tenantId, tenantId), inArray(segmentUserAccounts.userId, [...userIds])));
  return new Map(rows.map((row) => [row.userId, row.account]));
}

/** Forgets every user mapped to an erased account. */
export async function forgetAccountUsers(db: DbExecutor, tenantId: string, externalId: string): Promise<void> {
  await db
    .delete(segmentUserAccounts)
    .where(and(eq(segmentUserAccounts.tenantId, tenantId), eq(segmentUserAccounts.accountExternalId, externalId)));
}
