import { isSupportedLocale, type SupportedLocale } from "./locales.js";

/** Each language's own name, as a language switch shows it: a reader finds their language by its name in it. */
export const LANGUAGE_NAMES: Record<SupportedLocale, string> = {
  en: "English",
  et: "Eesti",
  fi: "Suomi",
  de: "Deutsch",
  sv: "Svenska",
};

/** The languages an Accept-Language header asks for, best first ("fi-FI,fi;q=0.9,en;q=0.8" → fi, en). */
export function acceptedLocales(header: string | undefined): SupportedLocale[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
      return { base: tag.trim().toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && isSupportedLocale(entry.base))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.base as SupportedLocale);
}

/**
 * The language a page speaks: the one the reader chose with `?lang=`, else the first of the
 * candidates that is supported (the recap's language, then the browser's), else English.
 */
export function pageLocale(chosen: string | undefined, ...candidates: (string | null | undefined)[]): SupportedLocale {
  for (const candidate of [chosen, ...candidates]) if (candidate && isSupportedLocale(candidate)) return candidate;
  return "en";
}

/** `path` with `?lang=` when the reader chose a language other than the page's default, so it sticks. */
export function withLang(path: string, chosen: SupportedLocale | undefined): string {
  if (!chosen) return path;
  return `${path}${path.includes("?") ? "&" : "?"}lang=${chosen}`;
}

/** A `?lang=` value, if it names a supported language. */
export function chosenLocale(value: string | undefined): SupportedLocale | undefined {
  return value && isSupportedLocale(value) ? value : undefined;
}
