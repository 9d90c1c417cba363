import { mkdir, readdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../i18n/locales.js";
import { ASSET_KINDS, type Renderer, THEMES, type Theme } from "../rendering/rendering.types.js";
import { digestFromUsage } from "../usage/digest-from-usage.js";
import type { UsageFile } from "../usage/usage-file.js";
import { type GalleryImage, type GallerySection, galleryHtml } from "./gallery-html.js";
import { pdfPagePng } from "./pdf-preview.js";
import { NotEnoughDataError, readUsageFile, recapFromUsage } from "./render-command.js";

/**
 * `outcome-recap gallery`: a contact sheet. Every card size and the PDF, in both themes and every
 * language, for each example file (and a case with the longest names the usage file allows), as
 * PNGs and one index.html that shows them side by side, to look at a design change all at once.
 * The renders go through the same worker pool as the service.
 */
export type GalleryOptions = {
  out: string;
  /** Usage files; default: every examples/*.json. */
  inputs?: string[] | undefined;
  locales?: readonly SupportedLocale[] | undefined;
  themes?: readonly Theme[] | undefined;
  /** Adds the first input again with the longest account and product names the schema allows. */
  longest?: boolean;
  /** Default: a worker pool with one thread per core, closed at the end. */
  renderer?: Renderer;
};

export type GalleryResult = {
  index: string;
  sections: GallerySection[];
  renders: number;
  seconds: number;
  summary: string;
};

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

/** Names at the usage file's limits: 200 characters for the account, 60 for the product. */
export const LONGEST_ACCOUNT = cut(
  "Bauunternehmung Müller-Lüdenscheidt und Söhne Kommanditgesellschaft auf Aktien, Niederlassung " +
    "Mönchengladbach-Rheydt, Abteilung für Rechnungsprüfung, Zahlungsverkehr und Skontomanagement Süd",
  200,
);
export const LONGEST_PRODUCT = cut("Northwind Flows Enterprise Automation für Finanzabteilungen", 60);

function cut(text: string, length: number): string {
  return text.length > length ? text.slice(0, length).trimEnd() : text;
}

async function exampleFiles(): Promise<string[]> {
  const names = await readdir(EXAMPLES);
  return names
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => path.join(EXAMPLES, name));
}

function withLongestNames(file: UsageFile): UsageFile {
  return {
    ...file,
    product: { ...file.product, name: LONGEST_PRODUCT, brand: { ...file.product.brand, productName: LONGEST_PRODUCT } },
    account: { ...file.account, name: LONGEST_ACCOUNT },
  };
}

export async function renderGallery(options: GalleryOptions): Promise<GalleryResult> {
  const started = performance.now();
  const inputs = options.inputs ?? (await exampleFiles());
  const locales = options.locales ?? SUPPORTED_LOCALES;
  const themes = options.themes ?? THEMES;
  const cases: { id: string; file: UsageFile }[] = [];
  for (const input of inputs) cases.push({ id: path.basename(input, ".json"), file: await readUsageFile(input) });
  if (options.longest && cases[0]) cases.push({ id: "longest-names", file: withLongestNames(cases[0].file) });

  const renderer =
    options.renderer ?? (await import("../rendering/renderer.js")).createRenderer({ threads: availableParallelism() });
  let renders = 0;
  const sections: GallerySection[] = [];
  try {
    for (const { id, file } of cases) {
      const { digest } = digestFromUsage(file);
      if (digest.status !== "ok") throw new NotEnoughDataError(digest.period.label, digest.reasons);
      const folder = path.join(options.out, id);
      await mkdir(folder, { recursive: true });
      const jobs = locales.flatMap((locale) => themes.map((theme) => ({ locale, theme })));
      // Every asset of the section is queued at once: the pool keeps all its threads busy.
      const images = await Promise.all(
        jobs.map(async ({ locale, theme }) => {
          const { input } = await recapFromUsage(file, digest, { locale, variant: "A", theme });
          return Promise.all(
            ASSET_KINDS.map(async (kind): Promise<GalleryImage> => {
              const asset = await renderer.render(kind, input);
              renders += 1;
              const base = `${locale}-${theme}-${kind}`;
              if (kind !== "pdf") {
                await writeFile(path.join(folder, `${base}.png`), asset.bytes);
                return { kind, theme, locale, png: `${id}/${base}.png`, pdf: null };
              }
              await writeFile(path.join(folder, `${base}.pdf`), asset.bytes);
              await writeFile(path.join(folder, `${base}.png`), await pdfPagePng(asset.bytes, 600));
              return { kind, theme, locale, png: `${id}/${base}.png`, pdf: `${id}/${base}.pdf` };
            }),
          );
        }),
      );
      sections.push({ id, title: file.account.name, period: digest.period.label, images: images.flat() });
    }
  } finally {
    if (!options.renderer) await renderer.close();
  }
  const index = path.join(options.out, "index.html");
  await writeFile(index, galleryHtml(sections, { locales, themes }));
  const seconds = (performance.now() - started) / 1000;
  const summary = [
    `${renders} renders (${sections.length} recap${sections.length === 1 ? "" : "s"} × ${locales.length} locales × ${themes.length} themes × ${ASSET_KINDS.length} assets) in ${seconds.toFixed(1)} s`,
    `Open ${index}`,
  ].join("\n");
  return { index, sections, renders, seconds, summary };
}
