import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { THEMES } from "../../src/rendering/rendering.types.js";
import { bigNumbersDigest, type InputOptions, renderInput } from "./fixtures.js";
import { LONG_ACCOUNT, LONG_HEADLINES, squash } from "./support.js";

const renderer = createInProcessRenderer();
const A4 = { width: 595.28, height: 841.89 };

/** Opens the PDF with pdf.js, as a reader would: pages, page size, and the text it can extract. */
async function readPdf(options: InputOptions) {
  const asset = await renderer.render("pdf", await renderInput(options));
  const document = await getDocument({ data: new Uint8Array(asset.bytes), verbosity: 0 }).promise;
  const page = await document.getPage(1);
  const content = await page.getTextContent();
  // Items are runs of one font; "Š" from Inter's latin-ext file is a run of its own inside a word.
  const text = squash(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? " " : "") : "")).join(""));
  const [, , width, height] = page.view as [number, number, number, number];
  const info = (await document.getMetadata()).info as { Title?: string };
  return { asset, pages: document.numPages, width, height, text, title: info.Title };
}

describe("the PDF", () => {
  it.each(THEMES)("is one A4 page in the %s theme", async (theme) => {
    const pdf = await readPdf({ theme });
    expect(pdf.asset).toMatchObject({ kind: "pdf", contentType: "application/pdf", width: null, height: null });
    expect(pdf.asset.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.pages).toBe(1);
    expect(pdf.width).toBeCloseTo(A4.width, 0);
    expect(pdf.height).toBeCloseTo(A4.height, 0);
  });

  it.each(["et", "fi", "de", "sv"] as SupportedLocale[])(
    "carries the %s headline with its diacritics as extractable text",
    async (locale) => {
      const pdf = await readPdf({ locale, copy: { headline: LONG_HEADLINES[locale] } });
      expect(pdf.text).toContain(squash(LONG_HEADLINES[locale]));
      expect(pdf.title).toBe(LONG_HEADLINES[locale]);
    },
  );

  it("prints the localized archetype, the numbers and the transparency note", async () => {
    const input = await renderInput({ locale: "fi" });
    const pdf = await readPdf({ locale: "fi" });
    expect(pdf.text).toContain("Automatisoija");
    expect(pdf.text).toContain("1 284 h");
    expect(pdf.text).toContain("−10,3 %");
    expect(pdf.text).toContain(squash(input.copy.transparencyNote));
  });

  it("stays on one page with a long name, seven-digit sums and a 60-character headline", async () => {
    const pdf = await readPdf({
      locale: "de",
      accountName: LONG_ACCOUNT,
      digest: bigNumbersDigest(),
      copy: { headline: LONG_HEADLINES.de, subheadline: "Ü".repeat(10) + " lang ".repeat(18) },
    });
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain("12.840.000 €");
  });

  it("prints the share link beside its QR code only when there is one", async () => {
    expect((await readPdf({ shareUrl: "https://recap.example.com/s/k7Qx2m" })).text).toContain(
      "recap.example.com/s/k7Qx2m",
    );
    expect((await readPdf({ shareUrl: null })).text).not.toContain("recap.example.com");
  });

  it("leaves hidden facts out", async () => {
    const pdf = await readPdf({ hiddenFactIds: ["metric:errors_prevented"] });
    expect(pdf.text).not.toContain("312");
  });
});
