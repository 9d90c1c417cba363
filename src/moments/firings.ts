import { and, desc, eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { decodeCursor, encodeCursor, olderThanCursor } from "../platform/db/keyset.js";
import { accounts } from "../usage/usage.schema.js";
import { momentFirings, momentRules } from "./moments.schema.js";

export type FiringRow = Awaited<ReturnType<typeof listRuleFirings>>["rows"][number];

/** A rule's firings, newest first, keyset-paginated on (fired_at, id) so pages stay stable as rules fire. */
export async function listRuleFirings(
  db: DbExecutor,
  tenantId: string,
  ruleId: string,
  page: { cursor?: string | undefined; limit: number },
) {
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const rows = await db
    .select({
      id: momentFirings.id,
      account: accounts.externalId,
      firedAt: momentFirings.firedAt,
      detail: momentFirings.detail,
      outcome: momentFirings.outcome,
      reason: momentFirings.reason,
      attempts: momentFirings.attempts,
      lastAttemptAt: momentFirings.lastAttemptAt,
      resolvedAt: momentFirings.resolvedAt,
      recapId: momentFirings.recapId,
    })
    .from(momentFirings)
    .innerJoin(accounts, eq(accounts.id, momentFirings.accountId))
    .where(
      and(
        eq(momentFirings.tenantId, tenantId),
        eq(momentFirings.ruleId, ruleId),
        olderThanCursor(momentFirings.firedAt, momentFirings.id, after),
      ),
    )
    .orderBy(desc(momentFirings.firedAt), desc(momentFirings.id))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return { rows: shown, next: rows.length > page.limit && last ? encodeCursor(last.firedAt, last.id) : null };
}

/** Why a recap exists: the firings it answers, with their rule's name (for the review screen). */
export async function firingsOfRecap(db: DbExecutor, tenantId: string, recapId: string) {
  return db
    .select({ ruleName: momentRules.name, detail: momentFirings.detail, firedAt: momentFirings.firedAt })
    .from(momentFirings)
    .innerJoin(momentRules, eq(momentRules.id, momentFirings.ruleId))
    .where(and(eq(momentFirings.tenantId, tenantId), eq(momentFirings.recapId, recapId)))
    .orderBy(momentFirings.firedAt, momentFirings.id);
}
