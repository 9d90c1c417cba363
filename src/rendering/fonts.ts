import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FontWeight, Measure } from "../../templates/model.js";
import { type FontMetrics, readWoffMetrics } from "./woff.js";

/**
 * The fonts every card and PDF uses, read from the npm font packages as WOFF 1.0, which satori,
 * react-pdf's fontkit and our own cmap reader (woff.ts) all read.
 * Inter sets Latin including latin-ext (õ š ž å), the languages the product is written in; Noto
 * Sans is the fallback for scripts a customer's name may bring along (Cyrillic, Greek, Vietnamese,
 * Devanagari). Each subset file is registered as a family of its own, because satori falls back
 * across families in the order given, not across files of one family.
 */
export const FONT_WEIGHTS: readonly FontWeight[] = [400, 600, 800];

type FaceSource = { family: string; file: (weight: FontWeight) => string };

const SOURCES: FaceSource[] = [
  { family: "Inter", file: (w) => `@fontsource/inter/files/inter-latin-${w}-normal.woff` },
  { family: "Inter Latin Ext", file: (w) => `@fontsource/inter/files/inter-latin-ext-${w}-normal.woff` },
  ...["cyrillic", "cyrillic-ext", "greek", "greek-ext", "vietnamese", "devanagari"].map((subset) => ({
    family: `Noto Sans ${subset}`,
    file: (w: FontWeight) => `@fontsource/noto-sans/files/noto-sans-${subset}-${w}-normal.woff`,
  })),
];

export type FontFace = { family: string; weight: FontWeight; path: string };

const require = createRequire(import.meta.url);

/** Every face with its file path, in fallback order (primary family first). */
export function fontFaces(): FontFace[] {
  return SOURCES.flatMap((source) =>
    FONT_WEIGHTS.map((weight) => ({ family: source.family, weight, path: require.resolve(source.file(weight)) })),
  );
}

/** The family names in fallback order, for react-pdf's `fontFamily` array. */
export const FONT_FAMILIES: readonly string[] = SOURCES.map((source) => source.family);

export type SatoriFont = { name: string; data: Buffer; weight: FontWeight; style: "normal" };

export type LoadedFonts = {
  /** One array for the whole process: satori caches its parsed fonts per array. */
  satori: SatoriFont[];
  /** Every code point some loaded font has a glyph for. */
  coverage: ReadonlySet<number>;
  /** Text width in em at a weight, from the same fonts satori draws with (kerning left out). */
  measure: Measure;
};

let loaded: LoadedFonts | undefined;

/** Reads and parses the fonts once per process (each worker thread has its own copy). */
export function loadFonts(): LoadedFonts {
  if (loaded) return loaded;
  const faces = fontFaces();
  const satori: SatoriFont[] = [];
  const metrics = new Map<FontWeight, FontMetrics[]>();
  const coverage = new Set<number>();
  for (const face of faces) {
    const data = readFileSync(face.path);
    satori.push({ name: face.family, data, weight: face.weight, style: "normal" });
    const parsed = readWoffMetrics(data);
    for (const code of parsed.glyphs.keys()) coverage.add(code);
    metrics.set(face.weight, [...(metrics.get(face.weight) ?? []), parsed]);
  }
  loaded = { satori, coverage, measure: measurer(metrics) };
  return loaded;
}

const EMOJI = /\p{RGI_Emoji}/gv;

function measurer(metrics: Map<FontWeight, FontMetrics[]>): Measure {
  const cache = new Map<string, number>();
  return (text, weight) => {
    const key = `${weight}|${text}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const fonts = metrics.get(weight) ?? metrics.get(400) ?? [];
    let width = 0;
    // An emoji is drawn as a square image one em wide, however many code points spell it.
    const plain = text.replace(EMOJI, () => {
      width += 1;
      return "";
    });
    for (const char of plain) {
      const code = char.codePointAt(0) ?? 0;
      const font = fonts.find((candidate) => candidate.glyphs.has(code));
      // A character no font has is refused by the coverage check before layout; 0.6 em is a guess.
      width += font ? (font.advances[font.glyphs.get(code) ?? 0] ?? 0) / font.unitsPerEm : 0.6;
    }
    if (cache.size > 5000) cache.clear();
    cache.set(key, width);
    return width;
  };
}
