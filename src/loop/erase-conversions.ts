import { and, eq, inArray } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { rowCount } from "../platform/db/row-count.js";
import { conversions } from "./loop.schema.js";

/**
 * Conversions are the tenant's new users, not the erased account's data: they stay, attributed to
 * their link (`ref`) but no longer to a recap.
 */
export async function detachConversions(tx: DbExecutor, tenantId: string, recapIds: string[]): Promise<number> {
  if (recapIds.length === 0) return 0;
  const result = await tx
    .update(conversions)
    .set({ recapId: null })
    .where(and(eq(conversions.tenantId, tenantId), inArray(conversions.recapId, recapIds)));
  return rowCount(result);
}
