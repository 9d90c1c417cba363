import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import type { DbExecutor } from "../platform/db/client.js";
import { GlyphCoverageError } from "../rendering/glyph-coverage.js";
import { recapRenderFailures } from "./assets.schema.js";

export type RenderFailure = typeof recapRenderFailures.$inferSelect;

/** What a reader may see about a failed render: the glyph gap in full, anything else generically. */
export function describeRenderFailure(error: unknown): { code: RenderFailure["code"]; reason: string } {
  if (error instanceof GlyphCoverageError) return { code: "glyph_coverage", reason: error.message };
  return { code: "error", reason: "The renderer failed; the render will be retried. The log has the details." };
}

/** Records (or replaces) the failure, logs it and counts it in /metrics. */
export async function recordRenderFailure(
  deps: Pick<Deps, "db" | "clock" | "log" | "metrics">,
  recap: { id: string; tenantId: string; version: number },
  error: unknown,
): Promise<RenderFailure> {
  const { code, reason } = describeRenderFailure(error);
  deps.metrics.countRenderFailure({ reason: code });
  deps.log.error(
    { err: error, recapId: recap.id, version: recap.version, code },
    "rendering the recap's assets failed",
  );
  const values = { recapId: recap.id, tenantId: recap.tenantId, recapVersion: recap.version, code, reason };
  const [row] = await deps.db
    .insert(recapRenderFailures)
    .values({ ...values, failedAt: deps.clock.now() })
    .onConflictDoUpdate({ target: recapRenderFailures.recapId, set: { ...values, failedAt: deps.clock.now() } })
    .returning();
  if (!row) throw new Error("recording a render failure returned no row");
  return row;
}

export async function clearRenderFailure(db: DbExecutor, recapId: string): Promise<void> {
  await db.delete(recapRenderFailures).where(eq(recapRenderFailures.recapId, recapId));
}

export async function renderFailureOf(
  db: DbExecutor,
  tenantId: string,
  recapId: string,
): Promise<RenderFailure | null> {
  const [row] = await db
    .select()
    .from(recapRenderFailures)
    .where(and(eq(recapRenderFailures.recapId, recapId), eq(recapRenderFailures.tenantId, tenantId)));
  return row ?? null;
}
