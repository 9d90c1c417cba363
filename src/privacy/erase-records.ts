import { and, eq, inArray, or, sql } from "drizzle-orm";
import { llmUsage } from "../drafting/drafting.schema.js";
import type { DbExecutor } from "../platform/db/client.js";
import { idempotencyKeys } from "../platform/idempotency/idempotency.schema.js";
import { webhookMessages } from "../webhooks/webhooks.schema.js";
import { rowCount } from "./row-count.js";

/** LLM calls stay on the tenant's bill (and in its monthly budget), no longer tied to a recap. */
export async function detachLlmUsage(tx: DbExecutor, tenantId: string, recapIds: string[]): Promise<number> {
  if (recapIds.length === 0) return 0;
  const result = await tx
    .update(llmUsage)
    .set({ recapId: null })
    .where(and(eq(llmUsage.tenantId, tenantId), inArray(llmUsage.recapId, recapIds)));
  return rowCount(result);
}

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

/**
 * Stored responses (kept 24 hours for Idempotency-Key replays) that mention the account: its id,
 * a recap's id, or its external id as a JSON string. The store keeps no path, only a hash, so the
 * response text is what can be searched. A match elsewhere in a body only costs that request its
 * replay: a retry runs again instead. Requests still in progress hold no response and are left.
 */
export async function deleteIdempotencyRecords(tx: DbExecutor, tenantId: string, mentions: string[]): Promise<number> {
  const result = await tx.delete(idempotencyKeys).where(
    and(
      eq(idempotencyKeys.tenantId, tenantId),
      eq(idempotencyKeys.state, "completed"),
      sql`exists (select 1 from unnest(array[${sql.join(
        mentions.map((mention) => sql`${mention}::text`),
        sql`, `,
      )}]) as m(mention) where strpos(${idempotencyKeys.responseBody}, m.mention) > 0)`,
    ),
  );
  return rowCount(result);
}
