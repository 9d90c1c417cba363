import { describe, expect, it } from "vitest";
import { cleanName, stripInvisible } from "../../src/platform/text/clean-name.js";

describe("cleaning a name once for every output", () => {
  it.each([
    ["zero-width spaces and joiners between letters", "Ki\u200bde\u200d Ana\u2060lytics", "Kide Analytics"],
    ["bidirectional overrides and isolates", "\u202eyO\u202c Kide \u2067Oy\u2069", "yO Kide Oy"],
    ["tag characters smuggling text", "Kide\u{E0049}\u{E0047}\u{E004E} Oy", "Kide Oy"],
    ["soft hyphens, the BOM and controls", "\ufeffKi\u00adde\u0007 Oy", "Kide Oy"],
    ["line breaks and runs of spaces", "  Kide\n\tAnalytics \u00a0 Oy ", "Kide Analytics Oy"],
    ["decomposed letters, composed", "Ka\u0308rntner Sa\u030ag AB", "Kärntner Såg AB"],
  ])("removes %s", (_, raw, clean) => {
    expect(cleanName(raw)).toBe(clean);
  });

  it("keeps the joiners, selectors and tags that make up an emoji", () => {
    for (const emoji of ["👩‍💻", "❤️", "👨‍👩‍👧", "🏳️‍🌈", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣"])
      expect(cleanName(`Team ${emoji} Oy`)).toBe(`Team ${emoji} Oy`);
  });

  it("keeps an emoji whole when something invisible was stuck onto it", () => {
    expect(stripInvisible("👩‍💻\u{E0041}\u202e")).toBe("👩‍💻");
  });
});
