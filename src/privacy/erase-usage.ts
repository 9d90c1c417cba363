import { and, eq } from "drizzle-orm";
import { momentFirings } from "../moments/moments.schema.js";
import type { DbExecutor } from "../platform/db/client.js";
import { usageDistinctValues, usageEvents, usageRollups } from "../usage/usage.schema.js";
import { rowCount } from "./row-count.js";

/**
 * The account's usage: raw events, their 15-minute rollups and distinct values, and the record of
 * value moments that fired for it. Returns the number of events. Each delete reads an index that
 * leads with the account id, so a million events is one range scan, not a table scan.
 */
export async function deleteAccountUsage(tx: DbExecutor, tenantId: string, accountId: string): Promise<number> {
  const events = await tx
    .delete(usageEvents)
    .where(and(eq(usageEvents.tenantId, tenantId), eq(usageEvents.accountId, accountId)));
  await tx.delete(usageRollups).where(and(eq(usageRollups.tenantId, tenantId), eq(usageRollups.accountId, accountId)));
  await tx.delete(usageDistinctValues).where(eq(usageDistinctValues.accountId, accountId));
  await tx
    .delete(momentFirings)
    .where(and(eq(momentFirings.tenantId, tenantId), eq(momentFirings.accountId, accountId)));
  return rowCount(events);
}
