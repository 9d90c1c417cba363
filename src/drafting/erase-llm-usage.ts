import { and, eq, inArray } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { rowCount } from "../platform/db/row-count.js";
import { llmUsage } from "./drafting.schema.js";

/** LLM calls stay on the tenant's bill (and in its monthly budget), no longer tied to a recap. */
export async function detachLlmUsage(tx: DbExecutor, tenantId: string, recapIds: string[]): Promise<number> {
  if (recapIds.length === 0) return 0;
  const result = await tx
    .update(llmUsage)
    .set({ recapId: null })
    .where(and(eq(llmUsage.tenantId, tenantId), inArray(llmUsage.recapId, recapIds)));
  return rowCount(result);
}
