/** The languages the copy, the cards and the pages are written in. */
export const SUPPORTED_LOCALES = ["en", "et", "fi", "de", "sv"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export function isSupportedLocale(value: string): value is SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** ISO 4217 codes that this runtime's Intl can format. */
export function isKnownCurrency(value: string): boolean {
  return CURRENCIES.has(value);
}
