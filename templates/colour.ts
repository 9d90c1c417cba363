/**
 * Colour arithmetic for the themes: brand colours come from tenants and can be anything, so every
 * colour the templates draw text or data with is checked against its background (WCAG 2 contrast)
 * and pushed towards black or white until it reads.
 */
export type Rgb = { r: number; g: number; b: number };

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** "#4f46e5", "4f46e5" or "#4fe"; anything else gives `fallback`. */
export function parseHex(value: string | undefined, fallback: string): Rgb {
  const match = HEX.exec((value ?? "").trim()) ?? HEX.exec(fallback);
  const hex = match?.[1] ?? "000000";
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex;
  return {
    r: Number.parseInt(full.slice(0, 2), 16),
    g: Number.parseInt(full.slice(2, 4), 16),
    b: Number.parseInt(full.slice(4, 6), 16),
  };
}

export function toHex({ r, g, b }: Rgb): string {
  const part = (channel: number) =>
    Math.round(Math.min(255, Math.max(0, channel)))
      .toString(16)
      .padStart(2, "0");
  return `#${part(r)}${part(g)}${part(b)}`;
}

/** `a` moved towards `b` by `amount` (0 = a, 1 = b). */
export function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  return { r: a.r + (b.r - a.r) * amount, g: a.g + (b.g - a.g) * amount, b: a.b + (b.b - a.b) * amount };
}

function linear(channel: number): number {
  const value = channel / 255;
  return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function luminance({ r, g, b }: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export const WHITE: Rgb = { r: 255, g: 255, b: 255 };
export const BLACK: Rgb = { r: 0, g: 0, b: 0 };

/**
 * `colour` as close to itself as possible with at least `ratio` contrast on `background`: it is
 * darkened on light backgrounds and lightened on dark ones, in small steps, keeping its hue.
 */
export function withContrast(colour: Rgb, background: Rgb, ratio: number): Rgb {
  const target = luminance(background) > 0.18 ? BLACK : WHITE;
  let candidate = colour;
  for (let step = 1; step <= 20 && contrast(candidate, background) < ratio; step++)
    candidate = mix(colour, target, step / 20);
  return candidate;
}

/** Black-ish or white text, whichever reads better on `background`. */
export function readableOn(background: Rgb): Rgb {
  return contrast(WHITE, background) >= contrast(BLACK, background) ? WHITE : { r: 17, g: 20, b: 28 };
}

/** rgba() for translucent washes; satori and react-pdf both accept it. */
export function rgba({ r, g, b }: Rgb, alpha: number): string {
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${alpha})`;
}
