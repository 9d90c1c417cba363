import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { rowCount } from "../platform/db/row-count.js";
import { webhookMessages } from "./webhooks.schema.js";

/**
 * Webhook messages about the account or its recaps, with their delivery log (cascade). A delivery
 * still queued then finds no message and ends quietly; what receivers already got is theirs.
 */
export async function deleteWebhookMessages(
  tx: DbExecutor,
  tenantId: string,
  accountId: string,
  recapIds: string[],
): Promise<number> {
  const aboutRecap = recapIds.length > 0 ? inArray(sql`${webhookMessages.payload}->>'recapId'`, recapIds) : sql`false`;
  const result = await tx
    .delete(webhookMessages)
    .where(
      and(
        eq(webhookMessages.tenantId, tenantId),
        or(sql`${webhookMessages.payload}->>'accountId' = ${accountId}`, aboutRecap),
      ),
    );
  return rowCount(result);
}
