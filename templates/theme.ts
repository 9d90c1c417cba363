import type { TenantBrand } from "../src/platform/tenancy/tenancy.schema.js";
import type { Theme } from "../src/rendering/rendering.types.js";
import { luminance, mix, parseHex, type Rgb, readableOn, toHex, WHITE, withContrast } from "./colour.js";

/**
 * The colours a template draws with, derived from the tenant's brand for one theme. Every text
 * colour has at least 4.5:1 contrast on the surface it sits on (WCAG AA), chart bars and other
 * graphics at least 3:1, whatever the tenant typed into its brand settings.
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
  /** Chart bars other than the lead one. */
  bar: string;
  /** Change cues: an improvement, a change for the worse, no verdict. */
  better: string;
  worse: string;
  neutral: string;
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
  const accent = withContrast(colours.accent, panel, 3);
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
    bar: toHex(withContrast(mix(colours.primary, panel, 0.55), panel, 1.6)),
    better: toHex(withContrast(GREEN, panel, 4.6)),
    worse: toHex(withContrast(AMBER, panel, 4.6)),
    neutral: toHex(withContrast(mix(ink, background, 0.45), panel, 4.6)),
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
  const accent = withContrast(colours.accent, panel, 3);
  return {
    theme: "bold",
    background: toHex(background),
    panel: toHex(panel),
    ink: toHex(ink),
    muted: toHex(withContrast(mix(ink, background, 0.4), panel, 4.6)),
    rule: toHex(mix(background, WHITE, 0.16)),
    primary: toHex(primary),
    accent: toHex(accent),
    onAccent: toHex(readableOn(accent)),
    bar: toHex(withContrast(mix(colours.primary, WHITE, 0.25), panel, 1.8)),
    better: toHex(withContrast(GREEN_LIGHT, panel, 4.6)),
    worse: toHex(withContrast(AMBER_LIGHT, panel, 4.6)),
    neutral: toHex(withContrast(mix(ink, background, 0.4), panel, 4.6)),
    glow: `radial-gradient(circle at 88% 8%, ${toHex(mix(colours.primary, background, 0.2))} 0%, ${toHex(background)} 62%)`,
    logoPlate: true,
  };
}

export function palette(brand: TenantBrand, theme: Theme): Palette {
  return theme === "bold" ? bold(brand) : classic(brand);
}

/** For tests and docs: the palette's text pairs, which must all read. */
export function textPairs(colours: Palette): [string, string][] {
  return [colours.ink, colours.muted, colours.primary, colours.better, colours.worse].flatMap((text) => [
    [text, colours.background] as [string, string],
    [text, colours.panel] as [string, string],
  ]);
}
