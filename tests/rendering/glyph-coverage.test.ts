import { describe, expect, it } from "vitest";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { loadFonts } from "../../src/rendering/fonts.js";
import { assertGlyphCoverage, GlyphCoverageError, missingGlyphs } from "../../src/rendering/glyph-coverage.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { buildRecapModel, modelTexts } from "../../templates/model.js";
import { renderInput } from "./fixtures.js";

const { coverage } = loadFonts();

describe("glyph coverage", () => {
  it.each(SUPPORTED_LOCALES)("covers every text of a %s recap, diacritics included", async (locale) => {
    const model = buildRecapModel(await renderInput({ locale }));
    expect(() => assertGlyphCoverage(modelTexts(model), locale, coverage)).not.toThrow();
  });

  it("covers the letters of all five languages and the number formats", () => {
    const text = "õäöüšžåÕÄÖÜŠŽÅ ß é ø æ − × € £ kr 1 284 h 12 840 000 € «»–—…";
    expect(missingGlyphs([{ field: "sample", text }], coverage)).toEqual([]);
  });

  it("covers Cyrillic and Greek through the Noto Sans fallback", () => {
    expect(missingGlyphs([{ field: "accountName", text: "ООО Ромашка · Αθήνα" }], coverage)).toEqual([]);
  });

  it("names the characters, the field and the locale it cannot draw", () => {
    const texts = [
      { field: "accountName", text: "漢字 Oy" },
      { field: "copy.headline", text: "Great quarter 🚀 한" },
      { field: "copy.subheadline", text: "Fine" },
    ];
    let caught: unknown;
    try {
      assertGlyphCoverage(texts, "fi", coverage);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GlyphCoverageError);
    const error = caught as GlyphCoverageError;
    expect(error.locale).toBe("fi");
    expect(error.missing).toEqual([
      { field: "accountName", chars: ["漢", "字"] },
      { field: "copy.headline", chars: ["한"] },
    ]);
    expect(error.message).toContain('"漢" (U+6F22)');
    expect(error.message).toContain('"한" (U+D55C)');
    expect(error.message).toContain("locale fi");
  });

  it("needs no font glyph for an emoji it draws as a Twemoji image, joined sequences and flags included", () => {
    const text = "Rakettitiimi 🚀🔥 Oy 👩‍💻 🇫🇮 ❤️ ❤ 👍🏽 🏴󠁧󠁢󠁳󠁣󠁴󠁿";
    expect(missingGlyphs([{ field: "accountName", text }], coverage)).toEqual([]);
  });

  it("needs no glyph for invisible characters such as joiners and variation selectors", () => {
    expect(missingGlyphs([{ field: "x", text: "Kide\u200dOy\ufe0f\u00ad\n" }], coverage)).toEqual([]);
  });

  it("composes decomposed letters before checking them", () => {
    expect(missingGlyphs([{ field: "x", text: "Ka\u0308rntner Sa\u030Aga" }], coverage)).toEqual([]);
  });

  it("refuses to render a card whose copy needs a missing glyph", async () => {
    const input = await renderInput({ locale: "de", copy: { headline: "Ein Quartal mit 漢字" } });
    await expect(createInProcessRenderer().render("linkedin", input)).rejects.toThrow(GlyphCoverageError);
  });
});
