/**
 * One cleaning for every name a customer gives us (account names, the tenant's name and product
 * name), done once where the name comes in, so the copy, the cards, the PDF, the pages and the API
 * all show the same string.
 *
 * Removed: characters that change how text is read without being seen: zero-width spaces and
 * joiners, bidirectional overrides and isolates (which can reverse "1 284" on screen, or apply
 * in a PDF viewer while the cards ignore them), the BOM, soft hyphens, tag characters (used to
 * smuggle hidden instructions to a model), variation selectors and C0/C1 controls. Kept: the same
 * characters where they are part of an emoji Unicode recommends ("👩‍💻" is 👩 + ZWJ + 💻, "❤️"
 * ends in a variation selector, a Scottish flag is spelled with tag characters), since removing
 * them would change what the name shows.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: lone joiners and selectors are what we remove.
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;

/** C0/C1 control characters other than tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const EMOJI = /^\p{RGI_Emoji}$/v;
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

function stripPlain(text: string): string {
  return text.replace(INVISIBLE, "").replace(CONTROL, "");
}

/** An emoji with something smuggled onto its end ("👩‍💻" + tag characters) keeps its own joiners. */
const NOT_EMOJI_GLUE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: lone joiners and selectors are what we remove.
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0e\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;

function stripSegment(segment: string): string {
  if (EMOJI.test(segment)) return segment;
  const emoji = segment.replace(NOT_EMOJI_GLUE, "").replace(CONTROL, "");
  return EMOJI.test(emoji) ? emoji : stripPlain(segment);
}

/** Removes invisible and control characters, except inside a recommended emoji sequence. */
export function stripInvisible(text: string): string {
  const stripped = stripPlain(text);
  if (stripped === text) return text;
  let kept = "";
  for (const { segment } of graphemes.segment(text)) kept += stripSegment(segment);
  return kept;
}

/** A name as every output shows it: composed (NFC), stripped, on one line, single-spaced, trimmed. */
export function cleanName(text: string): string {
  return stripInvisible(text.normalize("NFC")).replace(/\s+/g, " ").trim();
}
