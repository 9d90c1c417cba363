import { and, desc, eq, getTableColumns, lte, type SQL } from "drizzle-orm";
import type { SupportedLocale } from "../i18n/locales.js";
import type { DbExecutor } from "../platform/db/client.js";
import { decodeCursor, encodeCursor, olderThanCursor } from "../platform/db/keyset.js";
import { notFound } from "../platform/errors.js";
import { cleanName } from "../platform/text/clean-name.js";
import { accounts } from "../usage/usage.schema.js";
import { type RecapKind, type RecapState, recaps } from "./recaps.schema.js";
import { recapRenderFailures } from "./render-failures.schema.js";

export type Recap = typeof recaps.$inferSelect;
/** Why the last render of the recap's cards and PDF failed, if it did (see assets/render-failures.ts). */
export type RecapRenderFailure = { code: string; reason: string; version: number; failedAt: Date };
export type RecapWithAccount = Recap & {
  accountExternalId: string;
  accountName: string;
  renderFailure: RecapRenderFailure | null;
};

const withAccount = {
  ...getTableColumns(recaps),
  accountExternalId: accounts.externalId,
  accountName: accounts.name,
  failureCode: recapRenderFailures.code,
  failureReason: recapRenderFailures.reason,
  failureVersion: recapRenderFailures.recapVersion,
  failedAt: recapRenderFailures.failedAt,
};

type JoinedRow = Recap & {
  accountExternalId: string;
  accountName: string;
  failureCode: string | null;
  failureReason: string | null;
  failureVersion: number | null;
  failedAt: Date | null;
};

function withRenderFailure(row: JoinedRow): RecapWithAccount {
  const { failureCode, failureReason, failureVersion, failedAt, ...recap } = row;
  return {
    ...recap,
    // Names stored before names were cleaned where they come in are cleaned on the way out.
    accountName: cleanName(recap.accountName),
    renderFailure:
      failureCode && failureReason && failureVersion !== null && failedAt
        ? { code: failureCode, reason: failureReason, version: failureVersion, failedAt }
        : null,
  };
}

/** Whether the copy is still being re-drafted for the hidden set the customer chose last. */
export function copyIsUpdating(recap: Pick<Recap, "hiddenFactIds" | "copyHiddenFactIds">): boolean {
  const wanted = [...new Set(recap.hiddenFactIds)].sort();
  const drafted = [...new Set(recap.copyHiddenFactIds)].sort();
  return wanted.join("\n") !== drafted.join("\n");
}

export async function getRecap(db: DbExecutor, tenantId: string, id: string): Promise<RecapWithAccount> {
  const [row] = await db
    .select(withAccount)
    .from(recaps)
    .innerJoin(accounts, eq(accounts.id, recaps.accountId))
    .leftJoin(recapRenderFailures, eq(recapRenderFailures.recapId, recaps.id))
    .where(and(eq(recaps.tenantId, tenantId), eq(recaps.id, id)));
  if (!row) throw notFound("The recap does not exist or belongs to another tenant.");
  return withRenderFailure(row);
}

export type RecapFilter = {
  state?: RecapState | undefined;
  account?: string | undefined;
  period?: string | undefined;
  kind?: RecapKind | undefined;
  locale?: SupportedLocale | undefined;
  variant?: "A" | "B" | undefined;
  flagged?: boolean | undefined;
  olderThanHours?: number | undefined;
  cursor?: string | undefined;
  limit: number;
};

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while recaps arrive. */
export async function listRecaps(db: DbExecutor, tenantId: string, filter: RecapFilter, now = new Date()) {
  const conditions: (SQL | undefined)[] = [
    eq(recaps.tenantId, tenantId),
    filter.state ? eq(recaps.state, filter.state) : undefined,
    filter.account ? eq(accounts.externalId, filter.account) : undefined,
    filter.period ? eq(recaps.period, filter.period) : undefined,
    filter.kind ? eq(recaps.kind, filter.kind) : undefined,
    filter.locale ? eq(recaps.locale, filter.locale) : undefined,
    filter.variant ? eq(recaps.variant, filter.variant) : undefined,
    filter.flagged === undefined ? undefined : eq(recaps.flagged, filter.flagged),
    filter.olderThanHours === undefined
      ? undefined
      : lte(recaps.createdAt, new Date(now.getTime() - filter.olderThanHours * 3_600_000)),
  ];
  if (filter.cursor) conditions.push(olderThanCursor(recaps.createdAt, recaps.id, decodeCursor(filter.cursor)));
  const rows = await db
    .select(withAccount)
    .from(recaps)
    .innerJoin(accounts, eq(accounts.id, recaps.accountId))
    .leftJoin(recapRenderFailures, eq(recapRenderFailures.recapId, recaps.id))
    .where(and(...conditions))
    .orderBy(desc(recaps.createdAt), desc(recaps.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit).map(withRenderFailure);
  const last = page.at(-1);
  return { rows: page, next: rows.length > filter.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
