import { contrast, mix, parseHex, type Rgb, readableOn, toHex } from "../../templates/colour.js";

/**
 * The story's colours: each archetype gets two loud colours and a deep one, and the slides take
 * turns with them, as Spotify Wrapped does; the product's slide is in the tenant's brand accent.
 * Text on each field is black or white, whichever reads (WCAG contrast), so the table below can
 * be tuned by eye without breaking legibility.
 */
export type SlideColours = { background: string; ink: string; accent: string };
export type StoryPalette = {
  opening: SlideColours;
  number: SlideColours;
  chart: SlideColours;
  identity: SlideColours;
  product: SlideColours;
  cta: SlideColours;
};

const ARCHETYPE_COLOURS: Record<string, { loud: string; second: string; deep: string }> = {
  automator: { loud: "#2f5bff", second: "#c6f432", deep: "#0b1026" },
  value_maker: { loud: "#1ed27a", second: "#ffd23f", deep: "#08231a" },
  guardian: { loud: "#7b2ff7", second: "#ff5fa2", deep: "#150a2e" },
  accelerator: { loud: "#ff5a1f", second: "#ffe14d", deep: "#1e0b05" },
  champion: { loud: "#e6127a", second: "#38e1d1", deep: "#1f0717" },
  achiever: { loud: "#00b3a4", second: "#ff8a3d", deep: "#061a1f" },
};

function onField(wanted: Rgb, accent: Rgb): SlideColours {
  // A mid-tone brand colour (#777) gives neither black nor white text 4.5:1: the field darkens until white reads.
  let field = wanted;
  for (let step = 1; step <= 10 && contrast(readableOn(field), field) < 4.5; step++)
    field = mix(wanted, { r: 0, g: 0, b: 0 }, step / 20);
  const ink = readableOn(field);
  // The accent also colours small text (the kicker): below 4.5:1 the ink takes its place, since an
  // accent pushed that far towards black or white turns muddy (gold on green became brown).
  const shown = contrast(accent, field) >= 4.5 ? accent : ink;
  return { background: toHex(field), ink: toHex(ink), accent: toHex(shown) };
}

export function storyPalette(archetype: string, brandAccent: string): StoryPalette {
  const colours = ARCHETYPE_COLOURS[archetype.replace(/^archetype\./, "")] ?? ARCHETYPE_COLOURS.achiever!;
  const loud = parseHex(colours.loud, "#2f5bff");
  const second = parseHex(colours.second, "#c6f432");
  const deep = parseHex(colours.deep, "#0b1026");
  // The brand's accent rather than its primary: primaries tend to be dark navies, accents loud.
  const brand = parseHex(brandAccent, "#ff6b4a");
  return {
    opening: onField(deep, loud),
    number: onField(loud, second),
    chart: onField(mix(deep, loud, 0.12), second),
    identity: onField(second, deep),
    product: onField(brand, readableOn(brand)),
    cta: onField(deep, second),
  };
}
