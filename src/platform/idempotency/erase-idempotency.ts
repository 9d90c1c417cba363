import { and, eq, sql } from "drizzle-orm";
import type { DbExecutor } from "../db/client.js";
import { rowCount } from "../db/row-count.js";
import { idempotencyKeys } from "./idempotency.schema.js";

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
