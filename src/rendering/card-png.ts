import { Resvg } from "@resvg/resvg-js";
import { createElement } from "react";
import satori, { type SatoriNode } from "satori";
import { Card } from "../../templates/cards/card.js";
import type { RecapModel } from "../../templates/model.js";
import { emojiSvgDataUri } from "./emoji.js";
import type { LoadedFonts } from "./fonts.js";
import { CARD_SIZES, type CardSize } from "./rendering.types.js";

/**
 * A card in two steps: satori lays the React template out and writes an SVG with every glyph as a
 * path (so the rasteriser needs no fonts), then the SVG becomes a PNG. Both rasterisers are kept:
 * resvg is the default because it measured 4-10× faster on our templates (docs/rendering.md has
 * the numbers); sharp (librsvg) stays selectable for comparison and as a fallback.
 */
export type Rasterizer = "resvg" | "sharp";
export const DEFAULT_RASTERIZER: Rasterizer = "resvg";

/**
 * `onNode` receives every laid-out element with its computed box (left, top, width, height in card
 * pixels) and, for text, its content: the overlap test checks the boxes the renderer really used.
 */
export async function cardSvg(
  size: CardSize,
  model: RecapModel,
  fonts: LoadedFonts,
  onNode?: (node: SatoriNode) => void,
): Promise<string> {
  const { width, height } = CARD_SIZES[size];
  return satori(createElement(Card, { size, model, measure: fonts.measure }), {
    width,
    height,
    ...(onNode ? { onNodeDetected: onNode } : {}),
    // Without onStyleError, satori throws on an invalid style: a template bug fails loudly.
    fonts: fonts.satori,
    // Asked for each run no font can draw. Emoji become Twemoji images; anything else was refused
    // by the glyph check before layout, so there is nothing more to load.
    loadAdditionalAsset: async (code, segment) => (code === "emoji" ? (emojiSvgDataUri(segment) ?? []) : []),
  });
}

export async function rasterise(svg: string, rasterizer: Rasterizer): Promise<Buffer> {
  if (rasterizer === "sharp") {
    // Loaded only when chosen, so threads on the default never load libvips.
    const { default: sharp } = await import("sharp");
    return sharp(Buffer.from(svg)).png().toBuffer();
  }
  // Text is already paths: loading the system's fonts would only cost start-up time.
  const image = new Resvg(svg, { fitTo: { mode: "original" }, font: { loadSystemFonts: false } }).render();
  return image.asPng();
}

export async function renderCardPng(
  size: CardSize,
  model: RecapModel,
  fonts: LoadedFonts,
  rasterizer: Rasterizer = DEFAULT_RASTERIZER,
): Promise<Buffer> {
  return rasterise(await cardSvg(size, model, fonts), rasterizer);
}
