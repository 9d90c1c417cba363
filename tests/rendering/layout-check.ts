import type { SatoriNode } from "satori";
import { cardSvg } from "../../src/rendering/card-png.js";
import type { LoadedFonts } from "../../src/rendering/fonts.js";
import type { CardSize } from "../../src/rendering/rendering.types.js";
import type { RecapModel } from "../../templates/model.js";

/**
 * Overlap and overflow checks on the layout the renderer computed, not on guesses: satori reports
 * every element's box (onNodeDetected), and its SVG draws each text element as one <path> of glyph
 * outlines, so the ink of every text is known to the pixel. A text's ink is matched to the text
 * element whose box holds its centre.
 */
export type Box = { left: number; top: number; right: number; bottom: number };
/** `ink` is what shows (cut to the element's clip); `raw` is every glyph, clipped or not. */
export type TextBlock = { text: string; fontSize: number; box: Box; ink: Box | null; raw: Box | null };
export type CardLayout = { texts: TextBlock[]; panels: Box[]; svg: string };

function boxOf(node: SatoriNode): Box {
  return { left: node.left, top: node.top, right: node.left + node.width, bottom: node.top + node.height };
}

function area(box: Box): number {
  return Math.max(0, box.right - box.left) * Math.max(0, box.bottom - box.top);
}

export function intersection(a: Box, b: Box): Box {
  return {
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  };
}

/** The bounding box of a path's points (satori writes glyphs with absolute M, L, Q and Z only). */
function pathBox(d: string): Box | null {
  const numbers = d.match(/-?\d+(?:\.\d+)?/g)?.map(Number) ?? [];
  if (numbers.length < 2) return null;
  const box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
  for (let at = 0; at + 1 < numbers.length; at += 2) {
    const [x, y] = [numbers[at]!, numbers[at + 1]!];
    box.left = Math.min(box.left, x);
    box.right = Math.max(box.right, x);
    box.top = Math.min(box.top, y);
    box.bottom = Math.max(box.bottom, y);
  }
  return box;
}

/** Each text path's ink, cut to the clip rectangle it is drawn in (overflow: hidden), if any. */
function inkOfSvg(svg: string): { ink: Box; raw: Box }[] {
  const clips = new Map<string, Box>();
  for (const match of svg.matchAll(
    /<clipPath id="([^"]+)"><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"\/><\/clipPath>/g,
  )) {
    const [x, y, w, h] = match.slice(2, 6).map(Number) as [number, number, number, number];
    clips.set(match[1]!, { left: x, top: y, right: x + w, bottom: y + h });
  }
  const inks: { ink: Box; raw: Box }[] = [];
  // Text is `<path fill=…` (shapes start with x= or width=), inside a <g> that may clip it.
  for (const match of svg.matchAll(/(?:<g\b([^>]*)>)?<path fill="[^"]+"(?: fill-opacity="[^"]+")? d="([^"]+)"/g)) {
    const raw = pathBox(match[2]!);
    if (!raw) continue;
    const clipId = /clip-path="url\(#([^)]+)\)"/.exec(match[1] ?? "")?.[1];
    const clip = clipId ? clips.get(clipId) : undefined;
    inks.push({ ink: clip ? intersection(raw, clip) : raw, raw });
  }
  return inks;
}

function union(a: Box | null, b: Box): Box {
  if (!a) return b;
  return {
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right),
    bottom: Math.max(a.bottom, b.bottom),
  };
}

export async function cardLayout(size: CardSize, model: RecapModel, fonts: LoadedFonts): Promise<CardLayout> {
  const nodes: SatoriNode[] = [];
  const svg = await cardSvg(size, model, fonts, (node) => nodes.push(node));
  const texts: TextBlock[] = nodes
    .filter((node) => typeof node.textContent === "string" && node.textContent.trim() !== "")
    .map(
      (node): TextBlock => ({
        text: node.textContent!,
        fontSize: Number(node.props.style?.fontSize ?? 16),
        box: boxOf(node),
        ink: null,
        raw: null,
      }),
    );
  for (const { ink, raw } of inkOfSvg(svg)) {
    if (area(ink) === 0) continue;
    const cx = (ink.left + ink.right) / 2;
    const cy = (ink.top + ink.bottom) / 2;
    const owner = texts
      .filter(({ box }) => box.left <= cx && cx <= box.right && box.top <= cy && cy <= box.bottom)
      .sort((a, b) => area(a.box) - area(b.box))[0];
    if (!owner) {
      texts.push({
        text: "(ink outside every text box)",
        fontSize: 0,
        box: { ...ink, right: ink.left, bottom: ink.top },
        ink,
        raw,
      });
      continue;
    }
    owner.ink = union(owner.ink, ink);
    owner.raw = union(owner.raw, raw);
  }
  // Filled boxes that hold text (the chart panel, the archetype badge): text must stay inside them.
  const panels = nodes
    .filter((node) => !node.textContent && typeof node.props.style?.backgroundColor === "string")
    .filter((node) => node.props.style.backgroundColor !== "transparent" && node.width < 1000 && node.height > 20)
    .map(boxOf);
  return { texts, panels, svg };
}

const round = (box: Box) => [box.left, box.top, box.right, box.bottom].map((value) => Math.round(value)).join(",");
const label = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Everything wrong with a layout, as sentences: text ink outside its own box (by more than
 * `slack` px, which covers the rasteriser's rounding), outside the card's safe area or a panel it
 * starts in, and any two texts whose ink overlaps or comes closer than `gap` px.
 */
export function layoutProblems(layout: CardLayout, safe: Box, options = { slack: 1.5, gap: 6 }): string[] {
  const problems: string[] = [];
  const inked = layout.texts.filter((block) => block.ink !== null) as (TextBlock & { ink: Box; raw: Box })[];
  for (const { text, fontSize, box, ink, raw } of inked) {
    // Raw glyphs, not the clipped ink: a glyph cut by its box (a comma under a tight line height) is
    // a fault too. Sideways, a glyph's own overhang ("j" reaches left of its pen position) is allowed.
    const side = Math.max(options.slack, fontSize * 0.04);
    const out = Math.max(
      box.left - raw.left - side,
      raw.right - box.right - side,
      box.top - raw.top - options.slack,
      raw.bottom - box.bottom - options.slack,
    );
    if (out > 0) problems.push(`${label(text)} leaves its box [${round(box)}] by ${out.toFixed(1)} px too many`);
    const outside = Math.max(
      safe.left - ink.left,
      safe.top - ink.top,
      ink.right - safe.right,
      ink.bottom - safe.bottom,
    );
    if (outside > 0) problems.push(`${label(text)} reaches ${outside.toFixed(1)} px into the card's margin`);
    // A text that touches a filled panel at all (the chart, the hero block, the badge) must sit wholly inside it.
    for (const panel of layout.panels) {
      const touches = area(intersection(box, panel)) > 0 || area(intersection(ink, panel)) > 0;
      const spill = Math.max(
        panel.left - ink.left,
        panel.top - ink.top,
        ink.right - panel.right,
        ink.bottom - panel.bottom,
      );
      if (touches && spill > 0)
        problems.push(`${label(text)} spills ${spill.toFixed(1)} px out of its panel [${round(panel)}]`);
    }
  }
  for (let i = 0; i < inked.length; i++)
    for (let j = i + 1; j < inked.length; j++) {
      const [a, b] = [inked[i]!, inked[j]!];
      const grown = {
        left: a.ink.left - options.gap,
        top: a.ink.top - options.gap,
        right: a.ink.right + options.gap,
        bottom: a.ink.bottom + options.gap,
      };
      if (area(intersection(grown, b.ink)) > 0)
        problems.push(`${label(a.text)} [${round(a.ink)}] and ${label(b.text)} [${round(b.ink)}] overlap or touch`);
    }
  return problems;
}
