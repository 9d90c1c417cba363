import { and, eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { momentFirings } from "./moments.schema.js";

/** The record of value moments that fired for an account (for privacy's erasure). */
export async function deleteAccountFirings(tx: DbExecutor, tenantId: string, accountId: string): Promise<void> {
  await tx
    .delete(momentFirings)
    .where(and(eq(momentFirings.tenantId, tenantId), eq(momentFirings.accountId, accountId)));
}
