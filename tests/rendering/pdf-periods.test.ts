import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { pdfPagePng } from "../../src/cli/pdf-preview.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import type { RenderInput } from "../../src/rendering/rendering.types.js";
import { buildRecapModel } from "../../templates/model.js";
import { pdfChartAxis } from "../../templates/pdf/pdf-chart.js";
import { TAKE_SCREENSHOTS } from "../support/chromium.js";
import { milestoneDigest, renderInput, yearDigest } from "./fixtures.js";
import { LONG_ACCOUNT, LONG_HEADLINES, squash } from "./support.js";

const renderer = createInProcessRenderer();
/** The rendered pages, to look at: test-artifacts/pdf/<kind>-<locale>.png (when screenshots are on, as for pages). */
const ARTIFACTS = path.join(import.meta.dirname, "../../test-artifacts/pdf");
/** "2026 so far", computed at noon on Wednesday 16 September in Tallinn. */
const SEPTEMBER_16 = "2026-09-16T09:00:00.000Z";

/** The page count and the text pdf.js reads back, with no spaces (pdf.js may split a word into runs). */
async function readBack(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  try {
    const content = await (await document.getPage(1)).getTextContent();
    const text = content.items.map((item) => ("str" in item ? item.str : "")).join("");
    return { pages: document.numPages, text: squash(text).replace(/\s+/g, "") };
  } finally {
    await document.destroy();
  }
}

/** The copy at the schema's limits: headline 60, subheadline 120, highlights 3 × 140, note 160. */
function longest(input: RenderInput, locale: SupportedLocale): RenderInput {
  const fill = (length: number) => `${LONG_HEADLINES[locale]} `.repeat(4).slice(0, length);
  return {
    ...input,
    accountName: LONG_ACCOUNT,
    copy: {
      ...input.copy,
      headline: LONG_HEADLINES[locale],
      subheadline: fill(120),
      highlights: input.copy.highlights.map((entry, index) => ({ ...entry, text: `${index} ${fill(138)}` })),
      transparencyNote: fill(160),
    },
  };
}

const flat = (value: string) => squash(value).replace(/\s+/g, "");
const monthName = (locale: SupportedLocale, month: number, form: "long" | "short") =>
  new Intl.DateTimeFormat(locale, { month: form, timeZone: "UTC" }).format(Date.UTC(2026, month, 1)).replace(/\.$/, "");

describe("the PDF of a year and of a milestone window", () => {
  it.each(SUPPORTED_LOCALES)(
    "draws a bar a month under the names of the months, and weeks for a milestone, on one A4 page with the longest copy (%s)",
    async (locale) => {
      const kinds = {
        "year-finished": yearDigest(),
        "year-so-far": yearDigest({ runningTo: SEPTEMBER_16 }),
        milestone: milestoneDigest(),
      };
      await mkdir(ARTIFACTS, { recursive: true });
      for (const [kind, digest] of Object.entries(kinds)) {
        const input = longest(await renderInput({ locale, digest }), locale);
        const axis = pdfChartAxis(input, locale);
        expect(axis?.monthly, kind).toBe(kind !== "milestone");
        expect(axis?.bars.length, kind).toBe(kind === "year-finished" ? 12 : kind === "year-so-far" ? 9 : 14);
        const asset = await renderer.render("pdf", input);
        const pdf = await readBack(asset.bytes);
        expect(pdf.pages, kind).toBe(1);
        // The chart is there: its title and each month's name (short, or long where it fits) as text.
        expect(pdf.text, kind).toContain(flat(buildRecapModel(input).chart?.title ?? "missing chart"));
        const shown = kind === "year-finished" ? 12 : kind === "year-so-far" ? 9 : 0;
        for (let month = 0; month < shown; month++)
          expect(pdf.text, `${kind} ${month}`).toContain(flat(monthName(locale, month, "short")));
        if (kind === "milestone")
          for (const month of [6, 7, 8]) expect(pdf.text, kind).toContain(flat(monthName(locale, month, "long")));
        if (TAKE_SCREENSHOTS)
          await writeFile(path.join(ARTIFACTS, `${kind}-${locale}.png`), await pdfPagePng(asset.bytes, 700));
      }
    },
  );

  it("draws a running year's months so far, the running month prorated like a partial week, and no month to come", async () => {
    // A series that carries the rest of the year as zeros must still stop at the day the recap was made.
    const months = [310, 296, 352, 371, 388, 341, 298, 402, 210, 0, 0, 0];
    const input = await renderInput({ locale: "en", digest: yearDigest({ runningTo: SEPTEMBER_16, months }) });
    const axis = pdfChartAxis(input, "en");
    expect(axis?.bars).toHaveLength(9);
    expect(axis?.months.map((month) => month.short)).toEqual([
      "Jan",
      "Feb",
      "Mar",
      "Apr",
      "May",
      "Jun",
      "Jul",
      "Aug",
      "Sep",
    ]);
    // 1–16 September holds 12 of the month's 22 working days: 210 h so far is 385 h for the month,
    // drawn faded in the whole month's slot; the best full month (August) is the accent bar.
    expect(axis?.bars.at(-1)).toEqual({ value: 385, partial: true, best: false, days: 30 });
    expect(axis?.bars.filter((bar) => bar.best)).toEqual([{ value: 402, partial: false, best: true, days: 31 }]);
    // The cards draw the very same bars (one rule, period-chart.ts).
    expect(buildRecapModel(input).chart?.bars).toEqual(axis?.bars);

    const pdf = await readBack((await renderer.render("pdf", input)).bytes);
    expect(pdf.text).toContain("September");
    for (const later of ["October", "Oct", "November", "Nov", "December", "Dec"]) expect(pdf.text).not.toContain(later);
    expect(pdf.text).toContain(flat("This month, prorated"));
  });

  it("prorates a running month no higher than the best full month", async () => {
    // 2 of September's 22 working days: 100 h would be 1,100 h a month, more than any full month.
    const months = [310, 296, 352, 371, 388, 341, 298, 402, 100];
    const input = await renderInput({ digest: yearDigest({ runningTo: "2026-09-02T09:00:00.000Z", months }) });
    expect(pdfChartAxis(input, "en")?.bars.at(-1)).toEqual({ value: 402, partial: true, best: false, days: 30 });
  });
});
