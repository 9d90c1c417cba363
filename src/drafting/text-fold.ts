/**
 * A text as its reader sees it: each code point replaced by its compatibility form (NFKC), so
 * "𝟗𝟗𝟗𝟗" reads as "9999", "ｔ．ｃｏ" as "t.co", "＃tag" as "#tag" and "𝐧𝐢𝐧𝐞𝐭𝐲" as "ninety".
 * The checks scan the folded text; `original` maps every folded index back to the code unit it came
 * from, so what they report points into the text as stored (and the review page can mark it).
 */
export type FoldedText = { text: string; original: (index: number) => number };

export function foldText(text: string): FoldedText {
  // Per code point, not on the whole string: every folded character then has one source, and the
  // composition NFKC would do across code points changes nothing the checks read.
  let folded = "";
  const sources: number[] = [];
  let at = 0;
  for (const char of text) {
    const form = char.normalize("NFKC");
    folded += form;
    for (let index = 0; index < form.length; index++) sources.push(at);
    at += char.length;
  }
  sources.push(at);
  if (folded === text) return { text, original: (index) => index };
  return { text: folded, original: (index) => sources[Math.max(0, Math.min(index, sources.length - 1))]! };
}

/** The original span of a folded span; its end is the end of the code point that holds `end - 1`. */
export function originalSpan(folded: FoldedText, start: number, end: number, source: string) {
  const from = folded.original(start);
  if (end <= start) return { start: from, end: from };
  const last = folded.original(end - 1);
  const width = (source.codePointAt(last) ?? 0) > 0xffff ? 2 : 1;
  return { start: from, end: last + width };
}

/** Every code point of Unicode category N (digits, numerals, superscripts, circled and Roman numbers) but 0–9. */
export const OTHER_NUMERAL = /[^\P{N}0-9]/gu;
