import { getI18n } from "../i18n/i18n.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { Fact } from "../usage/digest.types.js";
import { topicOf } from "./template-facts.js";

/** The default value model's metrics, which have words of their own; other metrics are named by their topic. */
const OWN_WORDS = new Set(["hours_saved", "errors_prevented", "discounts_captured", "active_users"]);

/**
 * How a label is printed: `short` under a big number on a card ("manual work automated"), where
 * its length is designed for; `caption` under a number on a page, continuing it ("of manual work
 * automated"); `name` alone as a title ("Manual work automated").
 */
export type LabelForm = "short" | "caption" | "name";

/**
 * What a fact's number stands for, in the recap's language. The tenant's own name for that
 * language (`labels.fi` in the value model) wins in every form; otherwise the wording shipped in
 * locales/<lng>/common.json (`factLabel.<form>.<metric key or topic>`). The value model's `label`
 * is reviewer text in one language, so a visitor never sees it.
 */
export function factLabel(locale: SupportedLocale, fact: Fact, form: LabelForm): string {
  const own = fact.labels?.[locale]?.trim();
  if (own) return own;
  const topic = topicOf(fact);
  // A default-model key whose fact now reads as a level (lower is better) or is the ROI keeps the topic's words.
  const key = fact.metricKey && topic !== "measure" && topic !== "roi" && OWN_WORDS.has(fact.metricKey);
  return shippedLabel(locale, key ? (fact.metricKey as string) : topic, form);
}

/** The shipped wording for a default-model metric key or a topic ("measure" when nothing else fits). */
export function shippedLabel(locale: SupportedLocale, keyOrTopic: string, form: LabelForm): string {
  return getI18n().t(`factLabel.${form}.${keyOrTopic}`, { lng: locale, ns: "common" }) as string;
}
