import { and, eq, gte, sql } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import type { TokenUsage } from "./drafter.types.js";
import { llmUsage } from "./drafting.schema.js";

export type TokenPrices = { promptUsdPerMillion: number; completionUsdPerMillion: number };

export function tokenCostUsd(usage: TokenUsage, prices: TokenPrices): number {
  const cost =
    (usage.promptTokens * prices.promptUsdPerMillion + usage.completionTokens * prices.completionUsdPerMillion) / 1e6;
  return Math.round(cost * 1e10) / 1e10; // the column's scale: a cheap call costs fractions of a cent
}

/** The first instant of `now`'s calendar month in UTC: budgets reset there for every tenant alike. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function tokensUsedThisMonth(db: DbExecutor, tenantId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ tokens: sql<string>`coalesce(sum(${llmUsage.promptTokens} + ${llmUsage.completionTokens}), 0)` })
    .from(llmUsage)
    .where(and(eq(llmUsage.tenantId, tenantId), gte(llmUsage.createdAt, monthStart(now))));
  return Number(row?.tokens ?? 0);
}

/**
 * The budget is checked before a draft starts, not per call: a draft that starts under budget may
 * finish its retries a little over it. That keeps one recap's copy from being cut off half-way,
 * and the overshoot is bounded by one draft's tries.
 */
export async function hasTokenBudget(
  db: DbExecutor,
  tenant: { id: string; monthlyTokenBudget: number | null },
  defaultBudget: number,
  now: Date,
): Promise<boolean> {
  const budget = tenant.monthlyTokenBudget ?? defaultBudget;
  return (await tokensUsedThisMonth(db, tenant.id, now)) < budget;
}

export async function recordLlmUsage(
  db: DbExecutor,
  entry: { tenantId: string; recapId: string | null; model: string; usage: TokenUsage; costUsd: number; at: Date },
): Promise<void> {
  await db.insert(llmUsage).values({
    tenantId: entry.tenantId,
    recapId: entry.recapId,
    model: entry.model,
    promptTokens: entry.usage.promptTokens,
    completionTokens: entry.usage.completionTokens,
    costUsd: entry.costUsd,
    createdAt: entry.at,
  });
}
