import { loadFonts } from "./fonts.js";
import { missingGlyphs } from "./glyph-coverage.js";

/**
 * What the cards cannot draw correctly, asked where a name comes in (the accounts API, recap
 * generation) so it is refused with the characters named instead of failing every render later.
 *
 * Right-to-left scripts are refused even where a font has the letters: satori lays text out left
 * to right and does not shape joining scripts, so Arabic would come out as unjoined letters in
 * reverse order and Hebrew reversed. Anything else no loaded font or emoji image covers (CJK, say)
 * is refused by the same glyph check the render runs.
 */
const RIGHT_TO_LEFT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mende_Kikakui}\p{Script=Yezidi}]/gu;

export function codePointLabel(text: string): string {
  return Array.from(text, (char) => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`).join(
    " ",
  );
}

/** The characters (or whole emoji) of `text` the cards cannot draw, each once, in order. */
export function undrawableCharacters(text: string): string[] {
  const found = new Set<string>(text.normalize("NFC").match(RIGHT_TO_LEFT) ?? []);
  for (const entry of missingGlyphs([{ field: "text", text }], loadFonts().coverage))
    for (const char of entry.chars) found.add(char);
  return [...found];
}

/** `"م" (U+0645), "ر" (U+0631)`: for problem details a person reads. */
export function describeCharacters(chars: readonly string[]): string {
  return chars.map((char) => `"${char}" (${codePointLabel(char)})`).join(", ");
}
