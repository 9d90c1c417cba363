import { sql } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";

/**
 * How many people the recap's links reached: distinct visitors among the counted (human, deduped,
 * capped) clicks on any of its links, plus each counted click of a visitor who asked not to be
 * tracked (they have no hash to tell them apart). The same count as the loop analytics' visitors.
 */
export async function recapReach(db: DbExecutor, tenantId: string, recapId: string): Promise<number> {
  const [row] = await db.execute<{ people: number }>(sql`
    select (count(distinct c.visitor_hash) + count(*) filter (where c.visitor_hash is null))::int as people
    from link_clicks c
    where c.tenant_id = ${tenantId} and c.recap_id = ${recapId} and c.counted and not c.is_bot`);
  return row?.people ?? 0;
}
