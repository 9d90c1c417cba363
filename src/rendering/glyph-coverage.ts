import type { SupportedLocale } from "../i18n/locales.js";

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

function codeLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Characters that draw nothing and need no glyph: whitespace, controls, format characters (zero
 * width joiners, bidi marks, the soft hyphen) and variation selectors.
 */
const INVISIBLE = /^(?:\s|\p{Cc}|\p{Cf}|\p{Variation_Selector})$/u;

export function missingGlyphs(
  texts: readonly { field: string; text: string }[],
  coverage: ReadonlySet<number>,
): MissingGlyphs[] {
  const missing: MissingGlyphs[] = [];
  for (const { field, text } of texts) {
    const chars = new Set<string>();
    for (const char of text.normalize("NFC")) {
      if (INVISIBLE.test(char)) continue;
      if (!coverage.has(char.codePointAt(0) ?? 0)) chars.add(char);
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
