import { threadId } from "node:worker_threads";
import type { Rasterizer } from "./card-png.js";
import { loadFonts } from "./fonts.js";
import { GlyphCoverageError, type MissingGlyphs } from "./glyph-coverage.js";
import { renderAsset } from "./render-asset.js";
import type { AssetKind, RenderedAsset, RenderInput } from "./rendering.types.js";

/**
 * The task a pool thread runs. The fonts are read when the thread starts, not on its first render,
 * so the first card a user waits for costs no font parsing.
 */
loadFonts();

export type RenderTask = { kind: AssetKind; input: RenderInput; rasterizer: Rasterizer };

/**
 * What comes back over the thread boundary: the asset, or a glyph-coverage failure as plain data
 * (an Error's class does not survive structured cloning, and callers need to tell this one apart:
 * rendering again will not help, fixing the text will).
 */
export type RenderTaskResult = { threadId: number } & (
  | { ok: true; asset: RenderedAsset }
  | { ok: false; glyphs: { locale: GlyphCoverageError["locale"]; missing: MissingGlyphs[] } }
);

export default async function renderTask(task: RenderTask): Promise<RenderTaskResult> {
  try {
    const asset = await renderAsset(task.kind, task.input, { rasterizer: task.rasterizer });
    return { threadId, ok: true, asset };
  } catch (error) {
    if (error instanceof GlyphCoverageError)
      return { threadId, ok: false, glyphs: { locale: error.locale, missing: error.missing } };
    throw error;
  }
}
