import { describe, expect, it } from "vitest";
import { THEMES } from "../../src/rendering/rendering.types.js";
import { contrast, parseHex } from "../../templates/colour.js";
import { palette, textPairs } from "../../templates/theme.js";
import { BRAND } from "./fixtures.js";

/** Brands as tenants really type them: sensible, pale, dark, neon, identical, and broken. */
const BRANDS = [
  BRAND,
  { ...BRAND, primaryColor: "#fde047", accentColor: "#fef9c3", backgroundColor: "#111111" },
  { ...BRAND, primaryColor: "#0b1020", accentColor: "#1e293b", backgroundColor: "#020617" },
  { ...BRAND, primaryColor: "#00ff00", accentColor: "#ff00ff", backgroundColor: "#00ffff" },
  { ...BRAND, primaryColor: "#ffffff", accentColor: "#ffffff", backgroundColor: "#ffffff" },
  { ...BRAND, primaryColor: "tomato", accentColor: "", backgroundColor: "#12" },
];

describe("themes", () => {
  for (const theme of THEMES)
    it.each(BRANDS.map((brand, index) => [index, brand] as const))(
      `keep %s's text readable in ${theme}`,
      (_, brand) => {
        const colours = palette(brand, theme);
        for (const [text, background] of textPairs(colours))
          expect(contrast(parseHex(text, "#000"), parseHex(background, "#fff"))).toBeGreaterThanOrEqual(4.5);
        expect(contrast(parseHex(colours.onAccent, "#000"), parseHex(colours.accent, "#fff"))).toBeGreaterThanOrEqual(
          4.5,
        );
      },
    );

  it("is light in classic and dark in bold", () => {
    const light = palette(BRAND, "classic");
    const dark = palette(BRAND, "bold");
    expect(contrast(parseHex(light.background, "#000"), parseHex("#ffffff", "#fff"))).toBeLessThan(1.2);
    expect(contrast(parseHex(dark.background, "#000"), parseHex("#000000", "#000"))).toBeLessThan(1.5);
  });

  it("keeps a sensible brand accent as it is", () => {
    expect(palette(BRAND, "classic").accent).toBe(BRAND.accentColor);
  });
});
