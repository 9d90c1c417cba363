import { sql } from "drizzle-orm";
import type { SupportedLocale } from "../i18n/locales.js";
import type { DbExecutor } from "../platform/db/client.js";

/**
 * One recap's way through the growth loop, as counts and first times. Loop analytics are computed
 * from these rows (pure code, see loop-metrics.ts), and erasure keeps exactly these columns as an
 * anonymous tally when it removes an account.
 */
export type RecapLoopFacts = {
  recapId: string | null;
  locale: SupportedLocale;
  variant: string;
  /** The recap kind ("quarterly", "milestone"): each has its own card template. */
  kind: string;
  segment: string | null;
  /** The channel of the link that got the recap's first human click: the channel that shared it. */
  channel: string | null;
  generatedAt: Date;
  approvedAt: Date | null;
  publishedAt: Date | null;
  /** The first human (counted) click on any of the recap's links. */
  sharedAt: Date | null;
  firstSignupAt: Date | null;
  /** Human clicks after the one-per-visitor-per-hour dedupe. */
  humanClicks: number;
  botClicks: number;
  /** Distinct visitor hashes, plus each counted click of a visitor who asked not to be tracked. */
  visitors: number;
  /** LinkedInBot fetched the share page: someone started composing a post. */
  shareStarts: number;
  signups: number;
  activations: number;
  paid: number;
  /** Paid conversions' value in the tenant's currency (other currencies are left out). */
  revenue: number;
  llmCostUsd: number;
};

type FactsRow = Omit<RecapLoopFacts, "generatedAt" | "approvedAt" | "publishedAt" | "sharedAt" | "firstSignupAt"> & {
  generatedAt: string | Date;
  approvedAt: string | Date | null;
  publishedAt: string | Date | null;
  sharedAt: string | Date | null;
  firstSignupAt: string | Date | null;
};

const toDate = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * Facts of the tenant's live recaps, optionally only some recaps or one account's. One statement:
 * every stage is a correlated aggregate over an index keyed by recap (events, clicks, conversions).
 */
export async function loadRecapLoopFacts(
  db: DbExecutor,
  tenantId: string,
  filter: { recapIds?: string[]; accountId?: string; generatedFrom?: Date; generatedBefore?: Date } = {},
): Promise<RecapLoopFacts[]> {
  const conditions = [sql`r.tenant_id = ${tenantId}`];
  if (filter.recapIds) {
    if (filter.recapIds.length === 0) return [];
    conditions.push(
      sql`r.id in (${sql.join(
        filter.recapIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
  }
  if (filter.accountId) conditions.push(sql`r.account_id = ${filter.accountId}`);
  if (filter.generatedFrom) conditions.push(sql`r.created_at >= ${filter.generatedFrom.toISOString()}`);
  if (filter.generatedBefore) conditions.push(sql`r.created_at < ${filter.generatedBefore.toISOString()}`);

  const result = await db.execute<FactsRow>(sql`
    select
      r.id as "recapId", r.locale, r.variant, r.kind, a.segment,
      r.created_at as "generatedAt",
      (select min(e.at) from recap_events e
        where e.recap_id = r.id and e.to_state = 'approved') as "approvedAt",
      (select min(e.at) from recap_events e
        where e.recap_id = r.id and e.to_state = 'published') as "publishedAt",
      firstclick.at as "sharedAt",
      firstclick.channel as "channel",
      (select min(v.occurred_at) from conversions v
        where v.tenant_id = r.tenant_id and v.recap_id = r.id and v.type = 'signup') as "firstSignupAt",
      coalesce(clicks.human, 0)::int as "humanClicks",
      coalesce(clicks.bots, 0)::int as "botClicks",
      coalesce(clicks.visitors, 0)::int as "visitors",
      coalesce(clicks.share_starts, 0)::int as "shareStarts",
      coalesce(conv.signups, 0)::int as "signups",
      coalesce(conv.activations, 0)::int as "activations",
      coalesce(conv.paid, 0)::int as "paid",
      coalesce(conv.revenue, 0)::float8 as "revenue",
      coalesce(llm.cost, 0)::float8 as "llmCostUsd"
    from recaps r
    join tenants t on t.id = r.tenant_id
    left join accounts a on a.id = r.account_id
    left join lateral (
      select c.at, l.channel from link_clicks c join share_links l on l.code = c.code
      where c.tenant_id = r.tenant_id and c.recap_id = r.id and c.counted
      order by c.at, c.id limit 1
    ) firstclick on true
    left join lateral (
      select
        count(*) filter (where c.counted) as human,
        count(*) filter (where c.is_bot) as bots,
        count(distinct c.visitor_hash) filter (where c.counted)
          + count(*) filter (where c.counted and c.visitor_hash is null) as visitors,
        count(*) filter (where c.share_started) as share_starts
      from link_clicks c where c.tenant_id = r.tenant_id and c.recap_id = r.id
    ) clicks on true
    left join lateral (
      select
        count(*) filter (where v.type = 'signup') as signups,
        count(*) filter (where v.type = 'activation') as activations,
        count(*) filter (where v.type = 'paid') as paid,
        sum(v.value) filter (where v.type = 'paid' and v.currency = t.currency) as revenue
      from conversions v where v.tenant_id = r.tenant_id and v.recap_id = r.id
    ) conv on true
    -- llm_usage is indexed by tenant and month, not by recap: sum the tenant's rows once.
    left join (
      select u.recap_id, sum(u.cost_usd) as cost from llm_usage u
      where u.tenant_id = ${tenantId} and u.recap_id is not null group by u.recap_id
    ) llm on llm.recap_id = r.id
    where ${sql.join(conditions, sql` and `)}
    order by r.created_at, r.id
  `);
  return [...result].map((row) => ({
    ...row,
    generatedAt: new Date(row.generatedAt),
    approvedAt: toDate(row.approvedAt),
    publishedAt: toDate(row.publishedAt),
    sharedAt: toDate(row.sharedAt),
    firstSignupAt: toDate(row.firstSignupAt),
  }));
}
