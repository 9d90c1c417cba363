import type { TenantBrand } from "../src/platform/tenancy/tenancy.schema.js";
import type { Theme } from "../src/rendering/rendering.types.js";
import { contrast, luminance, mix, parseHex, type Rgb, readableOn, toHex, WHITE, withContrast } from "./colour.js";

/**
 * The colours a template draws with, derived from the tenant's brand for one theme, whatever the
 * tenant typed into its brand settings. Every text colour has at least 4.5:1 contrast on the
 * surface it sits on (WCAG AA); fills such as the badge and the chart's best bar keep the brand's
 * accent unless it nearly vanishes (below 1.7:1), and text on them is black or white as reads best.
 */
export type Palette = {
  theme: Theme;
  /** Page/card background, and a softer panel colour on it. */
  background: string;
  panel: string;
  /** Body text, secondary text, hairlines. */
  ink: string;
  muted: string;
  rule: string;
  /** The brand's voice: account name, big numbers. */
  primary: string;
  /** The brand's second colour: the chart's lead bar, the archetype badge. */
  accent: string;
  /** Text on an `accent` fill. */
  onAccent: string;
  /** Chart bars other than the lead one, and the lead (best) one, which must stand out from them. */
  bar: string;
  barLead: string;
  /** Change cues: an improvement, a change for the worse, no verdict. */
  better: string;
  worse: string;
  neutral: string;
  /**
   * The hero number's block: a saturated field of the brand's primary in classic (the card's one
   * loud colour), none in bold (the dark field is already loud); text on it and its quieter text.
   */
  heroFill: string | null;
  onHero: string;
  onHeroMuted: string;
  /** A soft glow in the bold theme's corner (a CSS gradient; cards only). */
  glow: string | null;
  /** True when the logo needs a light plate behind it to be seen. */
  logoPlate: boolean;
};

const INK_DARK: Rgb = { r: 15, g: 18, b: 28 };
const GREEN: Rgb = { r: 21, g: 128, b: 61 };
const AMBER: Rgb = { r: 180, g: 83, b: 9 };
const GREEN_LIGHT: Rgb = { r: 74, g: 222, b: 128 };
const AMBER_LIGHT: Rgb = { r: 251, g: 191, b: 36 };

/**
 * The best week is drawn in the accent; when the accent is too close to the other bars to tell
 * apart, the other bars become a dimmed accent instead.
 */
function bars(bar: Rgb, accent: Rgb, panel: Rgb): { bar: string; barLead: string } {
  // Hue tells bars apart as well as lightness does, so the test is distance in RGB, not contrast.
  const distance = Math.hypot(accent.r - bar.r, accent.g - bar.g, accent.b - bar.b);
  const others = distance >= 80 ? bar : mix(accent, panel, 0.6);
  return { bar: toHex(others), barLead: toHex(accent) };
}

/**
 * The bold theme's corner glow: as much of the brand's primary as the text over it allows, so a
 * bright yellow brand gives a glow, not a yellow corner with unreadable white text on it.
 */
function glow(primary: Rgb, background: Rgb, muted: Rgb): string {
  let amount = 0.8;
  while (amount > 0.1 && contrast(muted, mix(background, primary, amount)) < 4.5) amount -= 0.05;
  return `radial-gradient(circle at 88% 8%, ${toHex(mix(background, primary, amount))} 0%, ${toHex(background)} 62%)`;
}

function brandColours(brand: TenantBrand) {
  return {
    primary: parseHex(brand.primaryColor, "#4f46e5"),
    accent: parseHex(brand.accentColor, "#f59e0b"),
    background: parseHex(brand.backgroundColor, "#ffffff"),
  };
}

/** Light and calm: the brand background when it is light enough, brand colours for emphasis. */
function classic(brand: TenantBrand): Palette {
  const colours = brandColours(brand);
  const background = luminance(colours.background) >= 0.75 ? colours.background : mix(WHITE, colours.primary, 0.04);
  const panel = mix(background, colours.primary, 0.06);
  const ink = withContrast(mix(INK_DARK, colours.primary, 0.12), panel, 12);
  // Fills (badge, best bar, markers) keep the brand's accent unless it nearly vanishes on the panel.
  const accent = withContrast(colours.accent, panel, 1.7);
  const heroFill = withContrast(colours.primary, background, 1.6);
  const onHero = readableOn(heroFill);
  return {
    theme: "classic",
    background: toHex(background),
    panel: toHex(panel),
    ink: toHex(ink),
    muted: toHex(withContrast(mix(ink, background, 0.45), panel, 4.6)),
    rule: toHex(mix(background, ink, 0.12)),
    primary: toHex(withContrast(colours.primary, panel, 4.6)),
    accent: toHex(accent),
    onAccent: toHex(readableOn(accent)),
    ...bars(withContrast(mix(colours.primary, panel, 0.55), panel, 1.6), accent, panel),
    better: toHex(withContrast(GREEN, panel, 4.6)),
    worse: toHex(withContrast(AMBER, panel, 4.6)),
    neutral: toHex(withContrast(mix(ink, background, 0.45), panel, 4.6)),
    heroFill: toHex(heroFill),
    onHero: toHex(onHero),
    onHeroMuted: toHex(withContrast(mix(onHero, heroFill, 0.22), heroFill, 4.6)),
    glow: null,
    logoPlate: false,
  };
}

/** Dark and loud: a deep shade of the brand, big numbers in the brand's accent. */
function bold(brand: TenantBrand): Palette {
  const colours = brandColours(brand);
  const background =
    luminance(colours.background) <= 0.03 ? colours.background : mix(colours.primary, { r: 6, g: 7, b: 14 }, 0.84);
  const panel = mix(background, WHITE, 0.07);
  const ink = withContrast(mix(WHITE, colours.primary, 0.04), panel, 12);
  const primary = withContrast(colours.accent, panel, 4.6);
  const accent = withContrast(colours.accent, panel, 1.7);
  const muted = withContrast(mix(ink, background, 0.4), panel, 4.6);
  return {
    theme: "bold",
    background: toHex(background),
    panel: toHex(panel),
    ink: toHex(ink),
    muted: toHex(muted),
    rule: toHex(mix(background, WHITE, 0.16)),
    primary: toHex(primary),
    accent: toHex(accent),
    onAccent: toHex(readableOn(accent)),
    ...bars(withContrast(mix(colours.primary, WHITE, 0.25), panel, 1.8), accent, panel),
    better: toHex(withContrast(GREEN_LIGHT, panel, 4.6)),
    worse: toHex(withContrast(AMBER_LIGHT, panel, 4.6)),
    neutral: toHex(withContrast(mix(ink, background, 0.4), panel, 4.6)),
    heroFill: null,
    onHero: toHex(primary),
    onHeroMuted: toHex(muted),
    glow: glow(colours.primary, background, muted),
    logoPlate: true,
  };
}

export function palette(brand: TenantBrand, theme: Theme): Palette {
  return theme === "bold" ? bold(brand) : classic(brand);
}

/** For tests and docs: the palette's text pairs, which must all read. */
export function textPairs(colours: Palette): [string, string][] {
  const hero: [string, string][] = colours.heroFill
    ? [
        [colours.onHero, colours.heroFill],
        [colours.onHeroMuted, colours.heroFill],
      ]
    : [];
  return [colours.ink, colours.muted, colours.primary, colours.better, colours.worse]
    .flatMap((text) => [[text, colours.background] as [string, string], [text, colours.panel] as [string, string]])
    .concat(hero);
}
