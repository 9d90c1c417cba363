import { readFileSync } from "node:fs";
import { Font, renderToBuffer } from "@react-pdf/renderer";
import { Resvg } from "@resvg/resvg-js";
import { createElement } from "react";
import type { LogoModel } from "../../templates/logo.js";
import type { RecapModel } from "../../templates/model.js";
import { pdfChartAxis } from "../../templates/pdf/pdf-chart.js";
import { pdfLook } from "../../templates/pdf/pdf-look.js";
import { RecapDocument } from "../../templates/pdf/recap-document.js";
import { emojiPngDataUri } from "./emoji.js";
import { FONT_FAMILIES, fontFaces, type LoadedFonts } from "./fonts.js";
import { guardGlyphCodePoints } from "./pdf-glyphs.js";
import type { RenderInput } from "./rendering.types.js";
import { woffToSfnt } from "./woff.js";

/**
 * The A4 PDF through react-pdf. It embeds (and subsets) the same WOFF files the cards use,
 * registered once per thread, with the families as a fallback chain so "š" in Inter Latin Ext and
 * "Ж" in Noto Sans are found like in satori. react-pdf gets each file unpacked to plain TrueType
 * (see woffToSfnt: with WOFF, zlib took most of a render), and the fonts are loaded up front so
 * each one's glyph cache is guarded before any document uses it (see pdf-glyphs.ts).
 */
/** A transparent 1×1 PNG. */
const BLANK_PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

let fontsReady: Promise<void> | undefined;

function prepareFonts(): Promise<void> {
  fontsReady ??= (async () => {
    const faces = fontFaces();
    const byFamily = new Map<string, { src: string; fontWeight: number }[]>();
    for (const face of faces)
      byFamily.set(face.family, [
        ...(byFamily.get(face.family) ?? []),
        { src: trueType(face.path), fontWeight: face.weight },
      ]);
    for (const [family, fonts] of byFamily) Font.register({ family, fonts });
    // Whole words only: react-pdf's default English hyphenation splits Finnish and German badly.
    Font.registerHyphenationCallback((word) => [word]);
    // Emoji as Twemoji PNGs made on this thread from the npm package; never a URL to fetch. The
    // glyph check has refused any emoji without an image, so the blank is never drawn.
    Font.registerEmojiSource({ builder: (code) => emojiPngDataUri(code) ?? BLANK_PNG });
    await Promise.all(
      faces.map(async (face) => {
        const descriptor = { fontFamily: face.family, fontWeight: face.weight };
        await Font.load(descriptor);
        const font = Font.getFont(descriptor).data;
        if (font) guardGlyphCodePoints(font as unknown as Parameters<typeof guardGlyphCodePoints>[0]);
      }),
    );
  })();
  return fontsReady;
}

/** The font as a data URL of plain TrueType, which react-pdf reads without a network or a file. */
function trueType(path: string): string {
  return `data:font/ttf;base64,${woffToSfnt(readFileSync(path)).toString("base64")}`;
}

/** react-pdf draws PNG and JPEG only: an SVG logo is rasterised at 4× its printed height. */
function pdfLogo(logo: LogoModel | null): string | null {
  if (!logo) return null;
  if (logo.contentType === "image/png") return logo.src;
  const svg = Buffer.from(logo.src.slice(logo.src.indexOf(",") + 1), "base64");
  const png = new Resvg(svg, { fitTo: { mode: "height", value: 96 }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
  return `data:image/png;base64,${png.toString("base64")}`;
}

export async function renderPdf(model: RecapModel, fonts: LoadedFonts, input: RenderInput): Promise<Buffer> {
  await prepareFonts();
  const document = createElement(RecapDocument, {
    model,
    measure: fonts.measure,
    logoSrc: pdfLogo(model.logo),
    fontFamily: [...FONT_FAMILIES],
    // The PDF's own look and chart: a light page in both themes, months under the bars.
    look: pdfLook(input.brand, input.theme),
    chartAxis: pdfChartAxis(input, model.locale),
  });
  // RecapDocument renders a <Document>; react-pdf's type wants the element typed as one.
  return renderToBuffer(document as unknown as Parameters<typeof renderToBuffer>[0]);
}
