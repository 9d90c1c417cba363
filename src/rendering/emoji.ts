import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";

/**
 * Emoji in names and copy ("Rakettitiimi 🚀🔥 Oy"), drawn from Twemoji's SVG files as shipped in
 * the `@twemoji/svg` npm package (graphics CC-BY 4.0, Twitter/X and contributors): nothing is
 * fetched at render time. satori draws them as SVG images in place of the characters; react-pdf
 * takes PNGs, so the PDF gets each one rasterised once per thread.
 */
const require = createRequire(import.meta.url);
const DIRECTORY = path.dirname(require.resolve("@twemoji/svg/package.json"));

/**
 * Exactly one emoji: as Unicode recommends it for interchange (a flag, a ZWJ family, a keycap…),
 * or a pictograph whose emoji variation selector was lost on the way ("❤" for "❤️").
 */
const SINGLE_EMOJI = /^(?:\p{RGI_Emoji}|\p{Extended_Pictographic})$/v;

let files: Set<string> | undefined;
const svgCache = new Map<string, string | null>();
const pngCache = new Map<string, string | null>();

function available(): Set<string> {
  files ??= new Set(readdirSync(DIRECTORY).filter((name) => name.endsWith(".svg")));
  return files;
}

const hex = (text: string) => Array.from(text, (char) => (char.codePointAt(0) ?? 0).toString(16)).join("-");

/**
 * Twemoji's file for an emoji: its code points in hex, with the emoji variation selector (U+FE0F)
 * dropped unless the file name keeps it (Twemoji keeps it in some ZWJ sequences).
 */
function fileFor(emoji: string): string | null {
  const names = available();
  for (const candidate of [hex(emoji), hex(emoji.replaceAll("\ufe0f", ""))])
    if (names.has(`${candidate}.svg`)) return path.join(DIRECTORY, `${candidate}.svg`);
  return null;
}

export function isEmoji(grapheme: string): boolean {
  return SINGLE_EMOJI.test(grapheme);
}

/** True when `grapheme` is an emoji this build can draw. */
export function canDrawEmoji(grapheme: string): boolean {
  return isEmoji(grapheme) && fileFor(grapheme) !== null;
}

/** The emoji as an SVG data URI for satori, or null when there is no image for it. */
export function emojiSvgDataUri(emoji: string): string | null {
  const known = svgCache.get(emoji);
  if (known !== undefined) return known;
  const file = isEmoji(emoji) ? fileFor(emoji) : null;
  const uri = file ? `data:image/svg+xml;base64,${readFileSync(file).toString("base64")}` : null;
  svgCache.set(emoji, uri);
  return uri;
}

/**
 * The emoji named by react-pdf's code (code points in hex joined by "-") as a PNG data URI, 72 px
 * square (sharp at the PDF's largest text size), or null.
 */
export function emojiPngDataUri(code: string): string | null {
  const known = pngCache.get(code);
  if (known !== undefined) return known;
  const emoji = String.fromCodePoint(...code.split("-").map((part) => Number.parseInt(part, 16)));
  const file = fileFor(emoji) ?? fileFor(`${emoji}\ufe0f`);
  const uri = file
    ? `data:image/png;base64,${new Resvg(readFileSync(file), { fitTo: { mode: "width", value: 72 } })
        .render()
        .asPng()
        .toString("base64")}`
    : null;
  pngCache.set(code, uri);
  return uri;
}
