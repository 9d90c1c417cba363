import type { TFunction } from "i18next";
import { getTranslator } from "../i18n/i18n.js";
import { isSupportedLocale, type SupportedLocale } from "../i18n/locales.js";

/** The share page's language: the recap's ("fi-FI" reads as fi), else English. */
export function shareLocale(locale: string | null | undefined): SupportedLocale {
  const base = (locale ?? "en").slice(0, 2).toLowerCase();
  return isSupportedLocale(base) ? base : "en";
}

/** The share page's words (locales/<lng>/share.json) in the page's language. */
export function shareWords(locale: string | null | undefined): TFunction {
  return getTranslator(shareLocale(locale), "share");
}
