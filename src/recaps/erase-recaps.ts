import { and, eq, inArray } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { recaps } from "./recaps.schema.js";

/**
 * The ids of an account's recaps, locked: a review action or a drafting job in flight waits, and
 * then finds no recap. For privacy's erasure, inside its transaction.
 */
export async function lockAccountRecaps(tx: DbExecutor, tenantId: string, accountId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: recaps.id })
    .from(recaps)
    .where(and(eq(recaps.tenantId, tenantId), eq(recaps.accountId, accountId)))
    .for("update");
  return rows.map((row) => row.id);
}

/** Deletes recaps; cascades to the audit trail, preview tokens, recap_assets and loop-completion markers. */
export async function deleteRecaps(tx: DbExecutor, recapIds: readonly string[]): Promise<number> {
  if (recapIds.length === 0) return 0;
  await tx.delete(recaps).where(inArray(recaps.id, [...recapIds]));
  return recapIds.length;
}
