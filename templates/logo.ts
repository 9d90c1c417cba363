import type { RenderLogo } from "../src/rendering/rendering.types.js";

/** The tenant's logo as the templates embed it: a data URI (never a URL) and its aspect ratio. */
export type LogoModel = { src: string; contentType: RenderLogo["contentType"]; aspect: number };

/** Width ÷ height from a PNG's IHDR chunk. */
function pngAspect(bytes: Uint8Array): number | null {
  if (bytes.length < 24 || bytes[0] !== 0x89 || bytes[1] !== 0x50) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? width / height : null;
}

/** Width ÷ height from an SVG's viewBox, or its width and height attributes. */
function svgAspect(bytes: Uint8Array): number | null {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  const root = /<svg\b[^>]*>/i.exec(head)?.[0];
  if (!root) return null;
  const box = /viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(root);
  const width = Number(box?.[1] ?? /\bwidth\s*=\s*["']([\d.]+)/i.exec(root)?.[1]);
  const height = Number(box?.[2] ?? /\bheight\s*=\s*["']([\d.]+)/i.exec(root)?.[1]);
  return width > 0 && height > 0 ? width / height : null;
}

/** Null when the bytes are not a logo we can size: a card without a logo beats a broken one. */
export function logoModel(logo: RenderLogo | null): LogoModel | null {
  if (!logo || logo.bytes.length === 0) return null;
  const aspect = logo.contentType === "image/png" ? pngAspect(logo.bytes) : svgAspect(logo.bytes);
  if (!aspect) return null;
  const base64 = Buffer.from(logo.bytes.buffer, logo.bytes.byteOffset, logo.bytes.byteLength).toString("base64");
  // Very wide or tall marks are clamped so they neither crowd out the product name nor vanish.
  return {
    src: `data:${logo.contentType};base64,${base64}`,
    contentType: logo.contentType,
    aspect: Math.min(6, Math.max(0.5, aspect)),
  };
}

/** The logo's box at a given height, never wider than `maxWidth`. */
export function logoBox(logo: LogoModel, height: number, maxWidth: number): { width: number; height: number } {
  const width = Math.min(maxWidth, height * logo.aspect);
  return { width: Math.round(width), height: Math.round(width / logo.aspect) };
}
