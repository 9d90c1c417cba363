import type { TFunction } from "i18next";
import { topicOf } from "../drafting/template-facts.js";
import type { Fact } from "../usage/digest.types.js";

/** The default value model's metrics, which have words of their own; other metrics are named by their topic. */
const OWN_WORDS = new Set(["hours_saved", "errors_prevented", "discounts_captured", "active_users"]);

/**
 * What a number on the share page stands for, in the page's language ("manuaalista työtä automatisoitu"
 * under "478 h"). The value model's `label` is written for reviewers in one language, so a
 * visitor never sees it: the words come from locales/<lng>/share.json, by metric, else by topic.
 * A caption continues the number ("of manual work automated"); a name stands alone as a title
 * ("Manual work automated").
 */
export function factLabel(t: TFunction, fact: Fact, form: "caption" | "name" = "caption"): string {
  const topic = topicOf(fact);
  const own = fact.metricKey && topic !== "measure" && topic !== "roi" && OWN_WORDS.has(fact.metricKey);
  return t(`${form === "name" ? "factName" : "fact"}.${own ? fact.metricKey : topic}`);
}
