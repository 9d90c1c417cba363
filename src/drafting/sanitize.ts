/**
 * Characters that change how text is read without being seen: zero-width joiners and spaces,
 * bidirectional overrides and isolates (which can reverse "1 284" on screen), the BOM, soft
 * hyphens, tag characters (used to smuggle hidden instructions to a model) and variation selectors.
 * Stripped from everything customer-supplied before it reaches a drafter, and from everything a
 * drafter returns before it is stored.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: lone joiners and selectors are what we remove.
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;

/** C0/C1 control characters other than tab and newline. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "").replace(CONTROL, "");
}

/** Customer-supplied text on one line, stripped and trimmed, cut to `max` characters. */
export function cleanLine(text: string, max = 200): string {
  return Array.from(stripInvisible(text).replace(/\s+/g, " ").trim()).slice(0, max).join("");
}

/** Strips invisible characters from every string in a JSON-like value. */
export function stripInvisibleDeep<T>(value: T): T {
  if (typeof value === "string") return stripInvisible(value) as T;
  if (Array.isArray(value)) return value.map(stripInvisibleDeep) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stripInvisibleDeep(item)])) as T;
  return value;
}
