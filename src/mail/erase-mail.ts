import { rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { customerEmails } from "./mail.schema.js";
import { outboxDir } from "./mail-transport.js";

/**
 * The outbox files written for these recaps. Read inside the erasure's transaction, before the
 * recaps' deletion cascades to their `customer_emails` rows (which hold the address too).
 */
export async function outboxFilesOfRecaps(tx: DbExecutor, tenantId: string, recapIds: string[]): Promise<string[]> {
  if (recapIds.length === 0) return [];
  const rows = await tx
    .select({ file: customerEmails.outboxFile })
    .from(customerEmails)
    .where(
      and(
        eq(customerEmails.tenantId, tenantId),
        inArray(customerEmails.recapId, recapIds),
        isNotNull(customerEmails.outboxFile),
      ),
    );
  return rows.map((row) => row.file as string);
}

/** Deletes those files once the erasure has committed; a file already gone is no error. */
export async function deleteOutboxFiles(dataDir: string, tenantId: string, files: string[]): Promise<void> {
  const dir = outboxDir(dataDir, tenantId);
  await Promise.all(files.map((file) => rm(join(dir, basename(file)), { force: true })));
}
