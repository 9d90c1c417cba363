import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { buildRecapModel } from "../../templates/model.js";
import { palette } from "../../templates/theme.js";
import { BRAND, digest, renderInput } from "./fixtures.js";
import { squash, strayPixels } from "./support.js";

/** A milestone recap's digest over the 90 days up to 2 October. */
function trailingDigest() {
  const base = digest();
  return { ...base, period: { ...base.period, label: "P90D/2026-10-02" } };
}

const HEADS: Record<SupportedLocale, string> = {
  en: "Milestone recap · The last 90 days",
  et: "Verstaposti kokkuvõte · Viimased 90 päeva",
  fi: "Virstanpylväskatsaus · Viimeiset 90 päivää",
  de: "Meilenstein-Rückblick · Die letzten 90 Tage",
  sv: "Milstolpsöversikt · De senaste 90 dagarna",
};

const renderer = createInProcessRenderer();

describe("cards and PDFs of a trailing-window period", () => {
  it("head the recap with a milestone kicker and the window in the recap's language", async () => {
    const heads = await Promise.all(
      SUPPORTED_LOCALES.map(async (locale) => {
        const model = buildRecapModel(await renderInput({ locale, digest: trailingDigest() }));
        return `${model.words.kicker} · ${model.period}`;
      }),
    );
    expect(heads).toEqual(SUPPORTED_LOCALES.map((locale) => HEADS[locale]));
  });

  it("print the heading in the PDF's text layer (Finnish)", async () => {
    const pdf = await renderer.render("pdf", await renderInput({ locale: "fi", digest: trailingDigest() }));
    const document = await getDocument({ data: new Uint8Array(pdf.bytes), verbosity: 0 }).promise;
    const content = await (await document.getPage(1)).getTextContent();
    const text = content.items.map((item) => ("str" in item ? item.str : "")).join("");
    await document.destroy();
    // The PDF sets the heading in capitals; pdf.js may split a word into two text items.
    const flat = (value: string) => squash(value).replace(/\s+/g, "");
    expect(flat(text)).toContain(flat(HEADS.fi.toLocaleUpperCase("fi")));
  });

  it("keep the longest heading (Estonian) inside the LinkedIn card", async () => {
    const card = await renderer.render("linkedin", await renderInput({ locale: "et", digest: trailingDigest() }));
    expect(await strayPixels(card.bytes, palette(BRAND, "classic").background, { right: 40, bottom: 24 })).toBe(0);
  });
});
