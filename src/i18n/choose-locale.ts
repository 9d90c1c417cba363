import type { SupportedLocale } from "./locales.js";

/**
 * The language of an account's recap: the account's own, else the tenant's default. One rule for
 * every way a recap starts (the API, the quarterly schedule, a value moment). The schema types
 * both as SupportedLocale and the inputs accept no other, so nothing falls back to "en" here.
 */
export function chooseLocale(
  account: { locale: SupportedLocale | null },
  tenant: { defaultLocale: SupportedLocale },
): SupportedLocale {
  return account.locale ?? tenant.defaultLocale;
}
