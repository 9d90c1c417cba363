import { buildRecapModel, modelTexts } from "../../templates/model.js";
import { DEFAULT_RASTERIZER, type Rasterizer, renderCardPng } from "./card-png.js";
import { loadFonts } from "./fonts.js";
import { assertGlyphCoverage } from "./glyph-coverage.js";
import { renderPdf } from "./pdf.js";
import { type AssetKind, CARD_SIZES, type RenderedAsset, type RenderInput } from "./rendering.types.js";

/**
 * One asset, start to finish, on the calling thread: the model, the glyph check, then the card or
 * the PDF. The worker threads run exactly this; the CLI and tests may call it directly.
 */
export type RenderOptions = { rasterizer?: Rasterizer };

export async function renderAsset(
  kind: AssetKind,
  input: RenderInput,
  options: RenderOptions = {},
): Promise<RenderedAsset> {
  const fonts = loadFonts();
  const model = buildRecapModel(input);
  assertGlyphCoverage(modelTexts(model), input.locale, fonts.coverage);
  if (kind === "pdf") {
    const bytes = await renderPdf(model, fonts, input);
    return { kind, contentType: "application/pdf", bytes, width: null, height: null };
  }
  const bytes = await renderCardPng(kind, model, fonts, options.rasterizer ?? DEFAULT_RASTERIZER);
  return { kind, contentType: "image/png", bytes, ...CARD_SIZES[kind] };
}
