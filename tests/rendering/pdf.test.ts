import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { pdfPagePng } from "../../src/cli/pdf-preview.js";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { THEMES } from "../../src/rendering/rendering.types.js";
import { buildRecapModel } from "../../templates/model.js";
import { bigNumbersDigest, type InputOptions, renderInput } from "./fixtures.js";
import { LONG_ACCOUNT, LONG_HEADLINES, squash } from "./support.js";

const renderer = createInProcessRenderer();
const A4 = { width: 595.28, height: 841.89 };
/** The rendered pages, to look at: test-artifacts/pdf/long-<locale>-<theme>.png. */
const ARTIFACTS = path.join(import.meta.dirname, "../../test-artifacts/pdf");
const LONG_PRODUCT = "Northwind Flows Enterprise Automation für Finanzabteilungen";

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

/** Every text run pdf.js finds, with its box in PDF points (origin bottom left), top to bottom. */
async function textBoxes(bytes: Buffer) {
  const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const page = await document.getPage(1);
  const [, , width, height] = page.view as [number, number, number, number];
  const items = (await page.getTextContent()).items.flatMap((item) =>
    "str" in item && item.str.trim() !== ""
      ? [
          {
            text: item.str,
            x: item.transform[4] as number,
            y: item.transform[5] as number,
            width: item.width,
            height: item.height,
          },
        ]
      : [],
  );
  return { pages: document.numPages, width, height, items: items.sort((a, b) => b.y - a.y) };
}

describe("the PDF's page", () => {
  const cases = (["en", "fi", "de"] as SupportedLocale[]).flatMap((locale) =>
    THEMES.map((theme) => ({ locale, theme })),
  );

  it.each(cases)(
    "fills one A4 page with every part inside it, with the longest names ($locale, $theme)",
    async ({ locale, theme }) => {
      const input = await renderInput({
        locale,
        theme,
        accountName: LONG_ACCOUNT,
        digest: bigNumbersDigest(),
        // The product name at the usage file's and brand's limit of 60 characters.
        brand: { productName: LONG_PRODUCT },
        copy: { headline: LONG_HEADLINES[locale] },
      });
      const asset = await renderer.render("pdf", input);
      const page = await textBoxes(asset.bytes);
      const text = squash(page.items.map((item) => item.text).join(" "));
      const model = buildRecapModel(input);
      const months = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });

      expect(page.pages).toBe(1);
      for (const part of [
        model.headline,
        model.subheadline,
        ...model.numbers.flatMap((entry) => [entry.value, entry.caption]),
        model.chart?.title ?? "missing chart",
        ...[6, 7, 8].map((month) => months.format(Date.UTC(2026, month, 1))),
        ...model.highlights.map((highlight) => highlight.split(" ").slice(0, 4).join(" ")),
        model.archetype.name,
        model.words.scan,
        "recap.example.com/s/k7Qx2m",
      ])
        expect(text).toContain(squash(part));
      // The transparency line may be clamped at its end; its start must be there.
      expect(text).toContain(squash(model.transparency).slice(0, 40));

      // Nothing leaves the page: every run's box lies inside it, clear of the paper's edge.
      for (const item of page.items) {
        expect(item.x, item.text).toBeGreaterThanOrEqual(20);
        expect(item.x + item.width, item.text).toBeLessThanOrEqual(page.width - 20);
        expect(item.y, item.text).toBeGreaterThanOrEqual(20);
        expect(item.y + item.height, item.text).toBeLessThanOrEqual(page.height - 20);
      }
      // No two runs overlap (runs of one line touch, lines have their leading between them).
      for (const [index, a] of page.items.entries())
        for (const b of page.items.slice(index + 1)) {
          const across = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
          const down = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
          expect(across > 1 && down > 1, `"${a.text}" overlaps "${b.text}"`).toBe(false);
        }
      // The page is full: the footer sits in its lowest tenth, and the body (the highlights and the
      // archetype) comes down into the lowest fifth, right above it. The old layout stopped a
      // fixed chart's height above its footer, and on two pages of German it did not fit at all.
      const lowest = Math.min(...page.items.map((item) => item.y));
      expect(lowest).toBeLessThan(page.height * 0.1);
      const footer = page.items.find((item) => squash(model.transparency).startsWith(squash(item.text)));
      expect(footer).toBeDefined();
      const footerTop = (footer?.y ?? 0) + (footer?.height ?? 0);
      const beside = [model.words.scan, "recap.example.com"];
      const body = page.items.filter(
        (item) => item.y > footerTop && !beside.some((part) => squash(part).includes(squash(item.text))),
      );
      expect(Math.min(...body.map((item) => item.y))).toBeLessThan(page.height * 0.2);

      await mkdir(ARTIFACTS, { recursive: true });
      await writeFile(path.join(ARTIFACTS, `long-${locale}-${theme}.png`), await pdfPagePng(asset.bytes, 700));
    },
  );

  it("gives the lead number the hero's size, the others at most 0.6× of it, as on the cards", async () => {
    const input = await renderInput({ locale: "fi" });
    const model = buildRecapModel(input);
    const page = await textBoxes((await renderer.render("pdf", input)).bytes);
    const heightOf = (value: string) => page.items.find((item) => squash(item.text) === squash(value))?.height ?? 0;
    const [hero, ...others] = model.numbers.map((entry) => heightOf(entry.value));
    expect(others).toHaveLength(2);
    expect(hero).toBeGreaterThan(40);
    for (const other of others) expect(other).toBeGreaterThan(0);
    for (const other of others) expect(other).toBeLessThanOrEqual((hero ?? 0) * 0.6 + 0.5);
  });

  it("stays on one page in the bold theme with the longest copy the schema allows and the longest names", async () => {
    for (const locale of ["en", "fi"] as SupportedLocale[]) {
      const base = await renderInput({ locale, theme: "bold", accountName: LONG_ACCOUNT, digest: bigNumbersDigest() });
      // Subheadline 120, highlights 3 × 140, transparency note 160 characters: the copy schema's limits.
      const fill = (length: number) =>
        "Tiimi automatisoi kuukausisulkemisen ja pysäytti laskut ".repeat(4).slice(0, length);
      const input = {
        ...base,
        brand: { ...base.brand, productName: LONG_PRODUCT },
        copy: {
          ...base.copy,
          headline: LONG_HEADLINES[locale],
          subheadline: fill(120),
          highlights: base.copy.highlights.map((entry, index) => ({ ...entry, text: `${index} ${fill(138)}` })),
          transparencyNote: fill(160),
        },
      };
      const page = await textBoxes((await renderer.render("pdf", input)).bytes);
      expect(page.pages, locale).toBe(1);
    }
  });

  it("draws the bold theme on a light page, with the brand colour behind the headline only", async () => {
    const asset = await renderer.render("pdf", await renderInput({ theme: "bold" }));
    const png = PNG.sync.read(await pdfPagePng(asset.bytes, 200));
    // Ink is any pixel clearly darker than paper: the band, the accent panel, text, bars.
    const inked = (at: number) => png.data[at]! + png.data[at + 1]! + png.data[at + 2]! < 3 * 200;
    let inkedPixels = 0;
    for (let at = 0; at < png.data.length; at += 4) if (inked(at)) inkedPixels += 1;
    // The old bold page was inked edge to edge; now the band and the details cover well under half.
    expect(inkedPixels / (png.width * png.height)).toBeLessThan(0.45);
    // The band: the top of the page is the brand's colour, not paper.
    expect(inked((Math.round(png.height * 0.02) * png.width + 4) * 4)).toBe(true);
    // The page edge at the bottom is paper.
    expect(inked((Math.round(png.height * 0.99) * png.width + 4) * 4)).toBe(false);
  });
});
