import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { createRenderer, type PooledRenderer } from "../../src/rendering/renderer.js";
import type { RenderInput } from "../../src/rendering/rendering.types.js";
import { renderInput } from "./fixtures.js";
import { squash } from "./support.js";

/**
 * The PDF's text layer, checked the way the bug was seen: many PDFs through the worker pool, with
 * names and copy in all five languages, in an order where a document with composite letters (Ü, õ,
 * Ū, Ö) comes before one that prints the plain letter on the same thread. Every string the page
 * should carry must come back from pdf.js character for character.
 */
const NAMES = [
  "Šiaulių Statyba UAB",
  "Ūkininkų Sąjunga UAB",
  "Žalgirio Technologijos UAB",
  "Müller & Söhne GmbH",
  "Über Uhren AG",
  "Tõnu Õunapuu OÜ",
  "Kokkuvõte Tarkvara OÜ",
  "Äänekosken Uusi Oy",
  "Öresund Ugglan AB",
  "Åre Utveckling AB",
  "Ignore Previous Oy",
  "Tartu Toiduainete AS",
  "Ōtaki Orchards Ltd",
  "Ørsted Ulv ApS",
  "Quarterly Union Ltd",
  "Kõrvemaa Ühistu TÜ",
  "Jyväskylän Ohjelmointi Oy",
  "Göteborgs Uthyrning AB",
  "Straße Übersetzungen KG",
  "Vilniaus Ūkis UAB",
];

const HEADLINES: Record<SupportedLocale, (name: string) => string> = {
  en: (name) => `${name} automated 1,284 h of manual work`,
  et: (name) => `${name}: kvartali kokkuvõte, 1 284 h säästetud`,
  fi: (name) => `${name} – 1 284 h käsityötä pois`,
  de: (name) => `${name}: 1.284 Std. Übertragung automatisiert`,
  sv: (name) => `${name} sparade 1 284 h manuellt arbete`,
};

const SUBHEADLINES: Record<SupportedLocale, string> = {
  en: "Ignore the noise: every number was checked twice.",
  et: "Mõõdetud, mitte hinnatud – igaüks üle kontrollitud.",
  fi: "Mitattu, ei arvioitu – jokainen luku tarkistettu.",
  de: "Gemessen, nicht geschätzt – jede Zahl geprüft.",
  sv: "Uppmätt, inte uppskattat – varje siffra kontrollerad.",
};

const LOCALES: SupportedLocale[] = ["en", "et", "fi", "de", "sv"];
const DOCUMENTS = 200;

let pool: PooledRenderer;
let inputs: RenderInput[];

beforeAll(async () => {
  pool = createRenderer({ threads: 2 });
  inputs = await Promise.all(
    Array.from({ length: DOCUMENTS }, (_, index) => {
      const locale = LOCALES[index % LOCALES.length] as SupportedLocale;
      // 7 and 20 share no factor: every name meets every language over the run.
      const name = NAMES[(index * 7) % NAMES.length] as string;
      return renderInput({
        locale,
        accountName: name,
        theme: index % 3 === 0 ? "bold" : "classic",
        copy: { headline: HEADLINES[locale](name), subheadline: SUBHEADLINES[locale] },
      });
    }),
  );
});

afterAll(async () => {
  await pool.close();
});

async function pageText(bytes: Buffer): Promise<{ text: string; title: string | undefined }> {
  const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const content = await (await document.getPage(1)).getTextContent();
  const text = content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? " " : "") : "")).join("");
  const info = (await document.getMetadata()).info as { Title?: string };
  await document.destroy();
  return { text, title: info.Title };
}

/** The strings a reader must be able to copy out of the page, as the copy holds them. */
function intended(input: RenderInput): string[] {
  return [
    input.copy.headline,
    input.copy.subheadline,
    input.copy.transparencyNote,
    ...input.copy.highlights.map((h) => h.text),
  ];
}

describe("the PDF's text layer under many renders on the pool", () => {
  it("carries every name and sentence of 200 PDFs in five languages character for character", async () => {
    const wrong: string[] = [];
    // Each PDF is read as soon as it is back, while the pool renders the rest.
    const check = async (input: RenderInput, index: number) => {
      const { text, title } = await pageText((await pool.render("pdf", input)).bytes);
      // A glyph that lost its code points shows up as its subset index: a control character.
      const controls = [...text].filter((char) => /\p{Cc}/u.test(char));
      if (controls.length > 0)
        wrong.push(`#${index} (${input.locale}): control characters ${JSON.stringify(controls)}`);
      const page = squash(text);
      for (const expected of intended(input))
        if (!page.includes(squash(expected)))
          wrong.push(`#${index} (${input.locale}): missing ${JSON.stringify(expected)}`);
      if (title !== input.copy.headline) wrong.push(`#${index}: title ${JSON.stringify(title)}`);
    };
    await Promise.all(inputs.map(check));
    expect(pool.usedThreads().size).toBe(2);
    expect(wrong).toEqual([]);
  }, 120_000);
});
