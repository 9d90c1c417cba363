import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { CARD_SIZES, type CardSize, THEMES } from "../../src/rendering/rendering.types.js";
import { palette } from "../../templates/theme.js";
import { BRAND, bigNumbersDigest, digest, type InputOptions, renderInput } from "./fixtures.js";
import { LONG_ACCOUNT, LONG_HEADLINES, strayPixels } from "./support.js";

const renderer = createInProcessRenderer();
const SIZES = Object.keys(CARD_SIZES) as CardSize[];
/** The outer margin strips that must stay empty: less than each design's own padding. */
const MARGINS: Record<CardSize, { right: number; bottom: number }> = {
  linkedin: { right: 40, bottom: 24 },
  square: { right: 56, bottom: 40 },
  story: { right: 72, bottom: 120 },
};

async function card(size: CardSize, options: InputOptions) {
  const asset = await renderer.render(size, await renderInput(options));
  return { asset, meta: await sharp(asset.bytes).metadata() };
}

describe("cards", () => {
  for (const theme of THEMES)
    it.each(SIZES)(`render the %s card in the ${theme} theme as an 8-bit sRGB PNG of its size`, async (size) => {
      const { asset, meta } = await card(size, { theme });
      expect(asset).toMatchObject({ kind: size, contentType: "image/png", ...CARD_SIZES[size] });
      expect(meta).toMatchObject({ format: "png", ...CARD_SIZES[size], space: "srgb", depth: "uchar", channels: 4 });
    });

  const base = digest().facts;
  const hard: [string, InputOptions][] = [
    ["a very long account name", { locale: "de", accountName: LONG_ACCOUNT, copy: { headline: LONG_HEADLINES.de } }],
    ["seven-digit sums", { locale: "sv", digest: bigNumbersDigest() }],
    ["a single fact", { locale: "fi", digest: digest({ facts: base.slice(0, 1) }) }],
    ["two facts", { locale: "et", digest: digest({ facts: base.slice(0, 2) }) }],
    ["a hidden chart metric", { locale: "en", hiddenFactIds: ["metric:hours_saved"] }],
    ["a 60-character headline", { locale: "et", copy: { headline: LONG_HEADLINES.et } }],
    [
      "no logo and a long product name",
      { logo: null, brand: { productName: "Ledgerly Automation Suite for Finance" } },
    ],
  ];
  for (const [name, options] of hard)
    it.each(SIZES)(`keep ${name} inside the %s card`, async (size) => {
      const { asset } = await card(size, options);
      const background = palette({ ...BRAND, ...options.brand }, "classic").background;
      expect(await strayPixels(asset.bytes, background, MARGINS[size])).toBe(0);
    });

  it.each(SUPPORTED_LOCALES)("render every size with %s copy", async (locale) => {
    const input = await renderInput({ locale, theme: "bold", copy: { headline: LONG_HEADLINES[locale] } });
    for (const size of SIZES) expect((await renderer.render(size, input)).bytes.length).toBeGreaterThan(10_000);
  });

  it("draws a PNG logo as well as an SVG one", async () => {
    const png = await sharp({ create: { width: 120, height: 40, channels: 4, background: "#4f46e5" } })
      .png()
      .toBuffer();
    const { meta } = await card("linkedin", { logo: { contentType: "image/png", bytes: new Uint8Array(png) } });
    expect(meta.width).toBe(1200);
  });

  it("rasterises with sharp as well as with resvg", async () => {
    const input = await renderInput();
    const withSharp = await createInProcessRenderer({ rasterizer: "sharp" }).render("linkedin", input);
    const meta = await sharp(withSharp.bytes).metadata();
    expect(meta).toMatchObject({ format: "png", width: 1200, height: 627 });
  });
});
