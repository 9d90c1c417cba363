import { asc, eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { recapEvents } from "./recap-events.schema.js";

export async function recapHistory(db: DbExecutor, recapId: string) {
  const rows = await db
    .select()
    .from(recapEvents)
    .where(eq(recapEvents.recapId, recapId))
    .orderBy(asc(recapEvents.version));
  return rows.map((row) => ({
    version: row.version,
    action: row.action,
    actor: { type: row.actorType, id: row.actorId, name: row.actorName },
    from: row.fromState,
    to: row.toState,
    reason: row.reason,
    changes: row.changes,
    at: row.at.toISOString(),
  }));
}
