import { and, count, desc, eq, ilike, lt, or, type SQL, sql } from "drizzle-orm";
import { isSupportedLocale, SUPPORTED_LOCALES, type SupportedLocale } from "../../i18n/locales.js";
import type { DbExecutor } from "../../platform/db/client.js";
import { RECAP_STATES, type RecapState, recaps } from "../../recaps/recaps.schema.js";
import type { SerializedPeriod } from "../../usage/digest.types.js";
import { accounts } from "../../usage/usage.schema.js";

/** The queue's state filter: what needs a reviewer first, then every other state in the schema's order. */
const NEEDS_A_LOOK: readonly RecapState[] = ["pending_review", "drafting", "redraft_requested"];
export const QUEUE_STATES: readonly RecapState[] = [
  ...NEEDS_A_LOOK,
  ...RECAP_STATES.filter((state) => !NEEDS_A_LOOK.includes(state)),
];

/** "Older than" choices of the age filter, in days. */
export const AGE_CHOICES = [1, 3, 7, 30] as const;

export type QueueFilter = {
  /** Undefined means every state. */
  state?: RecapState | undefined;
  locale?: SupportedLocale | undefined;
  variant?: "A" | "B" | undefined;
  flagged?: boolean | undefined;
  /** Part of the account's external id or name. */
  account?: string | undefined;
  /** Only recaps created more than this many days ago. */
  olderThanDays?: number | undefined;
};

type Query = Record<string, string | undefined>;

/**
 * The queue's GET form, read leniently: a value the form never offers is ignored rather than
 * refused, so a hand-edited or outdated link still shows a queue. No state means "waiting for
 * review"; `state=all` shows every state.
 */
export function parseQueueFilter(query: Query): QueueFilter {
  const state = query.state ?? "pending_review";
  const age = Number(query.age);
  const account = query.account?.trim().slice(0, 200);
  return {
    state: QUEUE_STATES.includes(state as RecapState) ? (state as RecapState) : undefined,
    locale: query.locale && isSupportedLocale(query.locale) ? query.locale : undefined,
    variant: query.variant === "A" || query.variant === "B" ? query.variant : undefined,
    flagged: query.flagged === "yes" ? true : query.flagged === "no" ? false : undefined,
    account: account || undefined,
    olderThanDays: (AGE_CHOICES as readonly number[]).includes(age) ? age : undefined,
  };
}

/** Rows per queue page. */
export const QUEUE_PAGE_SIZE = 50;
/** Beyond this a filter is the better tool; also keeps OFFSET cheap. */
const MAX_PAGE = 1000;

/** The 1-based page number from `?page=`; anything else is page 1, as with the filters. */
export function parseQueuePage(value: string | undefined): number {
  const page = /^\d{1,4}$/.test(value ?? "") ? Number(value) : 1;
  return Math.min(Math.max(page, 1), MAX_PAGE);
}

/** The filter back as query parameters (for tab links that keep the other filters). */
export function filterQuery(filter: QueueFilter, state: RecapState | "all" | undefined = filter.state ?? "all") {
  const params = new URLSearchParams();
  if (state) params.set("state", state);
  if (filter.locale) params.set("locale", filter.locale);
  if (filter.variant) params.set("variant", filter.variant);
  if (filter.flagged !== undefined) params.set("flagged", filter.flagged ? "yes" : "no");
  if (filter.account) params.set("account", filter.account);
  if (filter.olderThanDays) params.set("age", String(filter.olderThanDays));
  return params.toString();
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** Every condition but the state's: the tabs count per state under the same filters. */
function conditions(tenantId: string, filter: QueueFilter, now: Date): (SQL | undefined)[] {
  const pattern = filter.account ? `%${escapeLike(filter.account)}%` : undefined;
  return [
    eq(recaps.tenantId, tenantId),
    filter.locale ? eq(recaps.locale, filter.locale) : undefined,
    filter.variant ? eq(recaps.variant, filter.variant) : undefined,
    filter.flagged === undefined ? undefined : eq(recaps.flagged, filter.flagged),
    pattern ? or(ilike(accounts.externalId, pattern), ilike(accounts.name, pattern)) : undefined,
    filter.olderThanDays
      ? lt(recaps.createdAt, new Date(now.getTime() - filter.olderThanDays * 86_400_000))
      : undefined,
  ];
}

export async function queueCounts(db: DbExecutor, tenantId: string, filter: QueueFilter, now: Date) {
  const rows = await db
    .select({ state: recaps.state, n: count() })
    .from(recaps)
    .innerJoin(accounts, eq(accounts.id, recaps.accountId))
    .where(and(...conditions(tenantId, filter, now)))
    .groupBy(recaps.state);
  const counts = new Map<RecapState, number>(rows.map((row) => [row.state, row.n]));
  return { byState: counts, total: rows.reduce((sum, row) => sum + row.n, 0) };
}

export type QueueRow = Awaited<ReturnType<typeof queueRows>>[number];

/**
 * One page of the recaps under the filter, newest first. Offset paging: the queue is read a page or
 * two deep, and a stable order (created_at, id) keeps pages from overlapping while nothing changes.
 */
export async function queueRows(
  db: DbExecutor,
  tenantId: string,
  filter: QueueFilter,
  now: Date,
  limit = QUEUE_PAGE_SIZE,
  offset = 0,
) {
  return db
    .select({
      id: recaps.id,
      accountName: accounts.name,
      accountExternalId: accounts.externalId,
      period: recaps.period,
      kind: recaps.kind,
      locale: recaps.locale,
      variant: recaps.variant,
      flagged: recaps.flagged,
      state: recaps.state,
      version: recaps.version,
      createdAt: recaps.createdAt,
      factCheckOk: sql<boolean | null>`(${recaps.factCheck}->>'ok')::boolean`,
      // Only the digest's period (not the whole digest): whether a year in review is year to date.
      digest: sql<{ period: SerializedPeriod }>`jsonb_build_object('period', ${recaps.digest}->'period')`,
    })
    .from(recaps)
    .innerJoin(accounts, eq(accounts.id, recaps.accountId))
    .where(and(...conditions(tenantId, filter, now), filter.state ? eq(recaps.state, filter.state) : undefined))
    .orderBy(desc(recaps.createdAt), desc(recaps.id))
    .limit(limit)
    .offset(offset);
}

export { isCleanDraft } from "../bulk-approve.js";

export { SUPPORTED_LOCALES };
