import type { TenantBrand } from "../../src/platform/tenancy/tenancy.schema.js";
import type { Theme } from "../../src/rendering/rendering.types.js";
import { mix, parseHex, readableOn, toHex, withContrast } from "../colour.js";
import { type Palette, palette } from "../theme.js";

/**
 * How the PDF looks on paper. The page is always light (the classic palette, contrast-checked
 * against the brand), because a recap gets printed: the bold theme's near-black full page was
 * heavy on toner and muddy on office printers. What makes the bold PDF bold is the brand's colour
 * as a band across the top, behind the headline, with the rest of the page white.
 */
export type PdfLook = {
  page: Palette;
  /** The bold theme's headline band: its fill and the text colours on it. Null in classic. */
  band: { fill: string; ink: string; muted: string } | null;
};

export function pdfLook(brand: TenantBrand, theme: Theme): PdfLook {
  const page = palette(brand, "classic");
  if (theme !== "bold") return { page, band: null };
  const primary = parseHex(brand.primaryColor, "#4f46e5");
  const ink = readableOn(primary);
  // A pale brand colour would leave the white headline unreadable: darken it until it reads.
  const fill = withContrast(primary, ink, 4.5);
  return {
    page,
    band: {
      fill: toHex(fill),
      ink: toHex(ink),
      muted: toHex(withContrast(mix(ink, fill, 0.22), fill, 4.5)),
    },
  };
}
