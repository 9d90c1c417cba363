import { and, count, eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { conversions, loopCompletions } from "./loop.schema.js";

export type RecapLoopProgress = {
  /** Signups attributed to the recap's links. */
  signups: number;
  /**
   * When the loop completed: the first attributed signup was recorded and `loop.completed` emitted
   * (the insert-once marker of record-conversion.ts); null while it is open.
   */
  completedAt: Date | null;
};

/** How far one recap got through the loop, for its sharer (two indexed look-ups). */
export async function recapLoopProgress(db: DbExecutor, tenantId: string, recapId: string): Promise<RecapLoopProgress> {
  const [[signups], [completion]] = await Promise.all([
    db
      .select({ n: count() })
      .from(conversions)
      .where(and(eq(conversions.tenantId, tenantId), eq(conversions.recapId, recapId), eq(conversions.type, "signup"))),
    db
      .select({ at: loopCompletions.createdAt })
      .from(loopCompletions)
      .where(and(eq(loopCompletions.tenantId, tenantId), eq(loopCompletions.recapId, recapId))),
  ]);
  return { signups: signups?.n ?? 0, completedAt: completion?.at ?? null };
}
