/**
 * Why the PDF's text layer sometimes said "\u0011AB" instead of "UAB", and why a letter could
 * vanish from the page.
 *
 * fontkit (react-pdf's font engine) keeps one Glyph object per glyph id in each font object, and
 * the code points that object carries are those of the first caller that asked for it. react-pdf
 * registers a font once per thread and keeps its fontkit object for the thread's life, so every
 * document rendered on that thread shares that cache. When a document is written, the TrueType
 * subsetter pulls in the components of composite glyphs ("Ü" is "U" plus a diaeresis, "õ" is "o"
 * plus a tilde, "Ū" is "U" plus a macron) through the same cache, with no code points. A later
 * document that prints a plain "U" gets that empty glyph back; react-pdf then writes an empty
 * ToUnicode entry for it (so pdf.js extracts the glyph's index in the subset, "\u0011") and
 * textkit, which maps glyphs back to string positions by their number of code points, slices
 * lines and ellipses one character off, which can drop a letter from the page. It is order, not
 * timing: one German PDF and then a Lithuanian one on the same worker thread is enough; the CLI
 * renders one PDF per process and never saw it. (Upstream: foliojs/fontkit#154,
 * diegomura/react-pdf#3404.)
 *
 * The guard wraps each loaded font's `getGlyph` so that a glyph always comes back with the code
 * points its caller asked for: an empty cached glyph takes them on (as it would have, had the
 * caller been first), and a glyph shared by two characters (a space and a no-break space, say)
 * comes back as a view carrying the caller's own. Calls without code points (the subsetter) get
 * the cached glyph as before. Glyph outlines and metrics stay shared, so fonts are still parsed
 * once per thread.
 */
type Glyph = { id: number; codePoints: number[]; isLigature: boolean; isMark: boolean };
type GlyphSource = { getGlyph(id: number, codePoints?: number[]): Glyph | null };

const GUARDED = Symbol("glyph code points guarded");
const MARK = /^\p{M}$/u;

function sameCodePoints(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((point, index) => point === b[index]);
}

function carry(glyph: Glyph, codePoints: number[]): void {
  glyph.codePoints = codePoints;
  glyph.isLigature = codePoints.length > 1;
  glyph.isMark = codePoints.length > 0 && codePoints.every((point) => MARK.test(String.fromCodePoint(point)));
}

export function guardGlyphCodePoints(font: GlyphSource): void {
  const guarded = font as GlyphSource & { [GUARDED]?: true };
  if (guarded[GUARDED]) return;
  const getGlyph = font.getGlyph.bind(font);
  guarded.getGlyph = (id, codePoints = []) => {
    const glyph = getGlyph(id, codePoints);
    if (!glyph || codePoints.length === 0 || sameCodePoints(glyph.codePoints, codePoints)) return glyph;
    if (glyph.codePoints.length === 0) {
      carry(glyph, codePoints);
      return glyph;
    }
    // The prototype keeps the shared outline, metrics and their caches; only the code points differ.
    const view = Object.create(glyph) as Glyph;
    carry(view, codePoints);
    return view;
  };
  guarded[GUARDED] = true;
}
