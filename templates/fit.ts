import type { FontWeight, Measure } from "./model.js";

/**
 * Text fitting, done before layout because neither satori nor react-pdf shrinks text to fit. The
 * widths come from the real font metrics (see src/rendering/fonts.ts), so a seven-digit sum and a
 * German compound get the size that fits instead of a size guessed from the character count.
 */

/** Room left for kerning and for the rasteriser rounding glyph edges up. */
const SAFETY = 0.97;

/** Splits where a line may break: spaces, but never the no-break spaces inside "1 284 h". */
function words(text: string): string[] {
  return text.split(/[ \t\n]+/).filter(Boolean);
}

/**
 * How many lines `text` takes at `size` in a box `width` wide (greedy, like the layout engines).
 * `safety` below 1 errs towards more lines (for sizing); 1 guesses the layout engine's own count.
 */
export function lineCount(
  measure: Measure,
  text: string,
  weight: FontWeight,
  size: number,
  width: number,
  safety = SAFETY,
): number {
  const space = measure(" ", weight) * size;
  const limit = width * safety;
  let lines = 1;
  let used = 0;
  for (const word of words(text)) {
    const wide = measure(word, weight) * size;
    if (used > 0 && used + space + wide > limit) {
      lines += 1;
      used = wide;
    } else used += (used > 0 ? space : 0) + wide;
    // A single word wider than the box wraps mid-word (overflowWrap) and takes extra lines.
    if (wide > limit) lines += Math.ceil(wide / limit) - 1;
  }
  return lines;
}

export type FitOptions = {
  weight: FontWeight;
  /** Largest and smallest size in px (cards) or pt (PDF). */
  max: number;
  min: number;
  width: number;
  lines: number;
};

/**
 * The largest size from `max` down to `min` at which `text` fits in `lines` lines of `width`.
 * At `min` it may still not fit; the template then clamps the lines with an ellipsis.
 */
export function fitSize(measure: Measure, text: string, options: FitOptions): number {
  const step = options.max > 40 ? 2 : 1;
  for (let size = options.max; size > options.min; size -= step) {
    if (lineCount(measure, text, options.weight, size, options.width) <= options.lines) return size;
  }
  return options.min;
}

/** The size at which every one of `texts` fits on one line of `width`: for rows of numbers that should match. */
export function fitRow(measure: Measure, texts: string[], options: Omit<FitOptions, "lines">): number {
  return Math.min(...texts.map((text) => fitSize(measure, text, { ...options, lines: 1 })), options.max);
}
