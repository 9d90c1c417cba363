import type { LoopEconomics } from "../platform/tenancy/tenancy.schema.js";
import type { RecapLoopFacts } from "./recap-loop-facts.js";

/**
 * What the loop costs and earns, in the tenant's currency. LLM spend is recorded in US dollars and
 * converted with the tenant's configured rate; without a rate (and a currency other than USD) the
 * totals that would mix currencies are null and `missing` says what to configure.
 */
export type LoopEconomicsReport = {
  currency: string;
  llmSpendUsd: number;
  llmSpendPerRecapUsd: number | null;
  llmSpend: number | null;
  reviewCost: number | null;
  rewardCost: number | null;
  /** LLM + review + rewards: what the loop cost in the range. */
  loopCost: number | null;
  costPerSignup: number | null;
  attributedRevenue: number;
  /** The loop's cost of acquiring one paying customer. */
  loopCac: number | null;
  paidChannelCac: number | null;
  /** loopCac / paidChannelCac: under 1, the loop acquires customers more cheaply than paid channels. */
  loopCacToPaidCac: number | null;
  /** The configured lifetime value, else attributed revenue per paying customer. */
  ltv: number | null;
  ltvSource: "configured" | "attributed_revenue" | null;
  ltvToLoopCac: number | null;
  ltvToPaidCac: number | null;
  missing: string[];
};

/** Money to the cent, ratios to two decimals: one rounding for both. */
const round2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
const divide = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

export function loopEconomics(
  facts: readonly RecapLoopFacts[],
  settings: LoopEconomics,
  currency: string,
): LoopEconomicsReport {
  const missing: string[] = [];
  let llmSpendUsd = 0;
  let revenue = 0;
  let signups = 0;
  let paid = 0;
  let completed = 0;
  for (const fact of facts) {
    llmSpendUsd += fact.llmCostUsd;
    if (fact.publishedAt === null) continue;
    revenue += fact.revenue;
    signups += fact.signups;
    paid += fact.paid;
    if (fact.signups > 0) completed++;
  }
  const rate = settings.usdExchangeRate ?? (currency === "USD" ? 1 : null);
  if (rate === null && llmSpendUsd > 0) missing.push("usdExchangeRate");
  const llmSpend = rate === null ? (llmSpendUsd > 0 ? null : 0) : llmSpendUsd * rate;
  const reviewCost = settings.reviewCostPerRecap == null ? 0 : settings.reviewCostPerRecap * facts.length;
  const rewardCost = settings.rewardPerCompletedLoop == null ? 0 : settings.rewardPerCompletedLoop * completed;
  const loopCost = llmSpend === null ? null : llmSpend + reviewCost + rewardCost;
  const loopCac = divide(loopCost, paid);
  const paidChannelCac = settings.paidChannelCac ?? null;
  if (paidChannelCac === null) missing.push("paidChannelCac");
  const ltvSource = settings.customerLtv != null ? "configured" : paid > 0 ? "attributed_revenue" : null;
  const ltv = settings.customerLtv ?? divide(revenue, paid);
  return {
    currency,
    llmSpendUsd: Math.round(llmSpendUsd * 1e6) / 1e6,
    llmSpendPerRecapUsd: facts.length === 0 ? null : Math.round((llmSpendUsd / facts.length) * 1e6) / 1e6,
    llmSpend: round2(llmSpend),
    reviewCost: round2(reviewCost),
    rewardCost: round2(rewardCost),
    loopCost: round2(loopCost),
    costPerSignup: round2(divide(loopCost, signups)),
    attributedRevenue: round2(revenue) ?? 0,
    loopCac: round2(loopCac),
    paidChannelCac,
    loopCacToPaidCac: round2(divide(loopCac, paidChannelCac)),
    ltv: round2(ltv),
    ltvSource,
    ltvToLoopCac: round2(divide(ltv, loopCac)),
    ltvToPaidCac: round2(divide(ltv, paidChannelCac)),
    missing,
  };
}
