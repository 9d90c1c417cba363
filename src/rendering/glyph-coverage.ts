import type { SupportedLocale } from "../i18n/locales.js";
import { canDrawEmoji, isEmoji } from "./emoji.js";

/**
 * A card must never ship with tofu boxes (□) or silently dropped letters. Before anything is drawn,
 * every text the design will print is checked against the code points the loaded fonts cover (read
 * from their cmap tables, see woff.ts), and a gap fails the render with the characters, the field
 * and the locale named, so a reviewer can fix the name or an engineer can add a font.
 */
export type MissingGlyphs = { field: string; chars: string[] };

export class GlyphCoverageError extends Error {
  override name = "GlyphCoverageError";
  constructor(
    readonly locale: SupportedLocale,
    readonly missing: MissingGlyphs[],
  ) {
    const parts = missing.map(
      (entry) => `${entry.field}: ${entry.chars.map((char) => `"${char}" (${codeLabel(char)})`).join(", ")}`,
    );
    super(`No loaded font has a glyph for these characters (locale ${locale}): ${parts.join("; ")}`);
  }
}

function codeLabel(text: string): string {
  return Array.from(text, (char) => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`).join(
    " ",
  );
}

/**
 * Characters that draw nothing and need no glyph: whitespace, controls, format characters (zero
 * width joiners, bidi marks, the soft hyphen) and variation selectors.
 */
const INVISIBLE = /^(?:\s|\p{Cc}|\p{Cf}|\p{Variation_Selector})$/u;

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

export function missingGlyphs(
  texts: readonly { field: string; text: string }[],
  coverage: ReadonlySet<number>,
): MissingGlyphs[] {
  const missing: MissingGlyphs[] = [];
  for (const { field, text } of texts) {
    const chars = new Set<string>();
    for (const { segment } of graphemes.segment(text.normalize("NFC"))) {
      const uncovered = Array.from(segment).filter(
        (char) => !INVISIBLE.test(char) && !coverage.has(char.codePointAt(0) ?? 0),
      );
      if (uncovered.length === 0) continue;
      // An emoji is drawn whole, as a Twemoji image (see emoji.ts); one without an image is named whole.
      if (isEmoji(segment)) {
        if (!canDrawEmoji(segment)) chars.add(segment);
        continue;
      }
      for (const char of uncovered) chars.add(char);
    }
    if (chars.size > 0) missing.push({ field, chars: [...chars] });
  }
  return missing;
}

export function assertGlyphCoverage(
  texts: readonly { field: string; text: string }[],
  locale: SupportedLocale,
  coverage: ReadonlySet<number>,
): void {
  const missing = missingGlyphs(texts, coverage);
  if (missing.length > 0) throw new GlyphCoverageError(locale, missing);
}
