import type { Deps } from "../deps.js";
import { type RenderFailure, saveRenderFailure } from "../recaps/render-failures.js";
import { GlyphCoverageError } from "../rendering/glyph-coverage.js";

/** What a reader may see about a failed render: the glyph gap in full, anything else generically. */
export function describeRenderFailure(error: unknown): { code: RenderFailure["code"]; reason: string } {
  if (error instanceof GlyphCoverageError) return { code: "glyph_coverage", reason: error.message };
  return { code: "error", reason: "The renderer failed; the render will be retried. The log has the details." };
}

/** Records (or replaces) the failure on the recap, logs it and counts it in /metrics. */
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
  return saveRenderFailure(deps.db, recap, { code, reason }, deps.clock.now());
}
