import { eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { recapRenderFailures } from "./render-failures.schema.js";

export type RenderFailure = typeof recapRenderFailures.$inferSelect;

/** Records (or replaces) why the recap's cards could not be rendered for `recap.version`. */
export async function saveRenderFailure(
  db: DbExecutor,
  recap: { id: string; tenantId: string; version: number },
  failure: { code: RenderFailure["code"]; reason: string },
  at: Date,
): Promise<RenderFailure> {
  const values = { recapId: recap.id, tenantId: recap.tenantId, recapVersion: recap.version, ...failure };
  const [row] = await db
    .insert(recapRenderFailures)
    .values({ ...values, failedAt: at })
    .onConflictDoUpdate({ target: recapRenderFailures.recapId, set: { ...values, failedAt: at } })
    .returning();
  if (!row) throw new Error("recording a render failure returned no row");
  return row;
}

/** A render succeeded: the recap no longer shows a failure, and publishing is not blocked by one. */
export async function clearRenderFailure(db: DbExecutor, recapId: string): Promise<void> {
  await db.delete(recapRenderFailures).where(eq(recapRenderFailures.recapId, recapId));
}
