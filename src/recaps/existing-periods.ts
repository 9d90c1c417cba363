import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { recaps } from "./recaps.schema.js";

/** The tenant's recaps of a kind, as "accountId|period", so a run skips them without a query each. */
export async function existingRecapPeriods(
  deps: Pick<Deps, "db">,
  tenantId: string,
  kind: "quarterly" | "annual",
): Promise<Set<string>> {
  const rows = await deps.db
    .select({ accountId: recaps.accountId, period: recaps.period })
    .from(recaps)
    .where(and(eq(recaps.tenantId, tenantId), eq(recaps.kind, kind)));
  return new Set(rows.map((row) => `${row.accountId}|${row.period}`));
}
