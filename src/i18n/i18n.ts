import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type Resource, type TFunction } from "i18next";
import { SUPPORTED_LOCALES, type SupportedLocale } from "./locales.js";

/**
 * The product's words, one JSON file per language and namespace under `locales/<lng>/<ns>.json`:
 * `common` holds what several places share (archetype names, metric phrases, hashtags, button
 * labels, the transparency note), `copy` the drafter's sentence templates, `customer` and `demo`
 * the words of the customer's preview page and the demo signup page, `email` the e-mail that tells
 * the end customer a recap is ready, `hub` the share hub the customer's page becomes once the recap is
 * published. Numbers never live in these files: they come formatted from
 * `format.ts`, so the fact-check sees them written one way.
 */
export const NAMESPACES = ["common", "copy", "customer", "demo", "email", "hub"] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** `<repo>/locales/`: this file is `<repo>/src/i18n/i18n.ts`, also when run from a build. */
export const LOCALES_DIR = fileURLToPath(new URL("../../locales/", import.meta.url));

/** Reads every language's namespaces synchronously; a missing or broken file stops here, loudly. */
export function loadResources(dir: string = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const locale of SUPPORTED_LOCALES) {
    resources[locale] = {};
    for (const namespace of NAMESPACES) {
      const file = `${dir}${dir.endsWith("/") ? "" : "/"}${locale}/${namespace}.json`;
      try {
        resources[locale][namespace] = JSON.parse(readFileSync(file, "utf8"));
      } catch (error) {
        throw new Error(`Cannot load the ${locale} "${namespace}" translations from ${file}`, { cause: error });
      }
    }
  }
  return resources;
}

/**
 * A new, fully initialised i18next instance (never the library's global one). With the resources
 * in memory and `initAsync: false`, `init` finishes before it returns, so `t` works at once.
 */
export function createI18n(resources: Resource = loadResources()): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: "en",
    supportedLngs: [...SUPPORTED_LOCALES],
    // A key missing in Finnish must show up as the key, not silently as English.
    fallbackLng: false,
    ns: [...NAMESPACES],
    defaultNS: "copy",
    initAsync: false,
    returnNull: false,
    returnEmptyString: false,
    // Copy is plain text; nothing builds HTML from it, so escaping would only garble "R&D".
    // Values passed in (names, formatted numbers) are never interpolated or nested again
    // (i18next's skipOnVariables), so "{{period}}" in an account name stays literal text.
    interpolation: { escapeValue: false, skipOnVariables: true },
  });
  return instance;
}

let shared: i18n | undefined;

/**
 * The process's instance, created on first use. It holds only the read-only locale files, so
 * sharing it is safe; tests that need other resources call `createI18n` themselves.
 */
export function getI18n(): i18n {
  shared ??= createI18n();
  return shared;
}

/** `t` fixed to one language and namespace; plurals follow Intl.PluralRules (`_one`, `_other`). */
export function getTranslator(locale: SupportedLocale, namespace: Namespace = "copy"): TFunction {
  return getI18n().getFixedT(locale, namespace);
}
