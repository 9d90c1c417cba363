import type { SupportedLocale } from "../i18n/locales.js";
import { ASSET_KINDS, type AssetKind, type Theme } from "../rendering/rendering.types.js";

export type GalleryImage = { kind: AssetKind; theme: Theme; locale: SupportedLocale; png: string; pdf: string | null };
export type GallerySection = { id: string; title: string; period: string; images: GalleryImage[] };

/**
 * The contact sheet's page: one grid per recap, a row per language and a column per size × theme
 * (the PDF's first page as a picture, linked to the PDF). Plain static HTML with relative links,
 * so the folder can be zipped, opened from disk or served as it is.
 */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 24px; background: #f3f4f6; color: #111827; }
  h1 { font-size: 22px; } h2 { font-size: 18px; margin: 32px 0 8px; }
  .scroll { overflow-x: auto; }
  table { border-collapse: collapse; }
  th { font-size: 12px; font-weight: 600; text-align: left; padding: 4px 8px; white-space: nowrap; }
  td { padding: 6px 8px; vertical-align: top; }
  img { display: block; height: 220px; width: auto; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
  th.locale { font-size: 14px; }
`;

export function galleryHtml(
  sections: GallerySection[],
  axes: { locales: readonly SupportedLocale[]; themes: readonly Theme[] },
): string {
  const columns = axes.themes.flatMap((theme) => ASSET_KINDS.map((kind) => ({ theme, kind })));
  const grids = sections.map((section) => {
    const head = columns.map(({ theme, kind }) => `<th>${kind} · ${theme}</th>`).join("");
    const rows = axes.locales.map((locale) => {
      const cells = columns.map(({ theme, kind }) => {
        const image = section.images.find(
          (entry) => entry.locale === locale && entry.theme === theme && entry.kind === kind,
        );
        if (!image) return "<td></td>";
        const alt = escapeHtml(`${section.title}, ${kind}, ${theme}, ${locale}`);
        return `<td><a href="${escapeHtml(image.pdf ?? image.png)}"><img src="${escapeHtml(image.png)}" alt="${alt}" loading="lazy"></a></td>`;
      });
      return `<tr><th class="locale">${locale}</th>${cells.join("")}</tr>`;
    });
    return [
      `<section id="${escapeHtml(section.id)}">`,
      `<h2>${escapeHtml(section.title)} <small>${escapeHtml(section.period)} · ${escapeHtml(section.id)}</small></h2>`,
      `<div class="scroll"><table><thead><tr><th></th>${head}</tr></thead><tbody>`,
      ...rows,
      "</tbody></table></div></section>",
    ].join("\n");
  });
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>Recap gallery</title>",
    `<style>${STYLE}</style></head><body>`,
    "<h1>Recap gallery</h1>",
    `<p>${sections.map((section) => `<a href="#${escapeHtml(section.id)}">${escapeHtml(section.id)}</a>`).join(" · ")}</p>`,
    ...grids,
    "</body></html>",
    "",
  ].join("\n");
}
