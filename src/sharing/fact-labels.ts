import { factLabel as localizedLabel } from "../drafting/fact-label.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { Fact } from "../usage/digest.types.js";

/**
 * What a number on the share page stands for, in the page's language ("manuaalista työtä automatisoitu"
 * under "478 h"): the tenant's own `labels.<lng>` when the value model gives one, else the wording
 * shipped in locales/<lng>/common.json, by metric, else by topic (src/drafting/fact-label.ts).
 * A caption continues the number ("of manual work automated"); a name stands alone as a title
 * ("Manual work automated").
 */
export function factLabel(locale: SupportedLocale, fact: Fact, form: "caption" | "name" = "caption"): string {
  return localizedLabel(locale, fact, form);
}
