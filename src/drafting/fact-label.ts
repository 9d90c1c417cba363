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
  if (key) return shippedLabel(locale, fact.metricKey as string, form);
  return shippedLabel(locale, topic === "measure" ? measureKey(fact) : topic, form);
}

/**
 * "Key figure" names the recap's period where a language says it ("kvartalets nyckeltal"), so it
 * follows the period the fact was counted over: a quarter ("2026-Q3"), a year ("2026") or a
 * milestone's trailing window ("last-90d-…").
 */
function measureKey(fact: Fact): string {
  const label = fact.provenance?.period?.label ?? "";
  if (/^\d{4}-Q[1-4]$/.test(label) || label === "") return "measure";
  return /^\d{4}$/.test(label) ? "measure_year" : "measure_window";
}

/** The shipped wording for a default-model metric key or a topic ("measure" when nothing else fits). */
export function shippedLabel(locale: SupportedLocale, keyOrTopic: string, form: LabelForm): string {
  return getI18n().t(`factLabel.${form}.${keyOrTopic}`, { lng: locale, ns: "common" }) as string;
}
