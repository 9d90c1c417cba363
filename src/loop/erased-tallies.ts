import type { DbExecutor } from "../platform/db/client.js";
import { erasedRecapTallies } from "./erased-tallies.schema.js";
import { loadRecapLoopFacts } from "./recap-loop-facts.js";

/**
 * One anonymous tally per recap, written before anything of the recaps is removed: its loop facts
 * (stage times and counts) without the recap, the account, the links or any visitor. Loop
 * analytics add these to the live recaps, so past quarters' growth numbers survive an erasure.
 */
export async function keepRecapTallies(
  tx: DbExecutor,
  tenantId: string,
  recapIds: string[],
  erasedAt: Date,
): Promise<number> {
  const facts = await loadRecapLoopFacts(tx, tenantId, { recapIds });
  if (facts.length === 0) return 0;
  await tx
    .insert(erasedRecapTallies)
    .values(facts.map(({ recapId: _dropped, ...counts }) => ({ ...counts, tenantId, erasedAt })));
  return facts.length;
}
