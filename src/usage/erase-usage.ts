import { and, eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { rowCount } from "../platform/db/row-count.js";
import { usageDailyDistinctValues, usageDistinctValues, usageEvents, usageRollups } from "./usage.schema.js";

/**
 * The account's usage: raw events (in every monthly partition), their 15-minute rollups and distinct values (for privacy's
 * erasure; the moments that fired go through moments/erase-firings.ts). Returns the number of events. Each delete reads an index that
 * leads with the account id, so a million events is one range scan, not a table scan.
 */
export async function deleteAccountUsage(tx: DbExecutor, tenantId: string, accountId: string): Promise<number> {
  const events = await tx
    .delete(usageEvents)
    .where(and(eq(usageEvents.tenantId, tenantId), eq(usageEvents.accountId, accountId)));
  await tx.delete(usageRollups).where(and(eq(usageRollups.tenantId, tenantId), eq(usageRollups.accountId, accountId)));
  await tx.delete(usageDistinctValues).where(eq(usageDistinctValues.accountId, accountId));
  await tx.delete(usageDailyDistinctValues).where(eq(usageDailyDistinctValues.accountId, accountId));
  return rowCount(events);
}
