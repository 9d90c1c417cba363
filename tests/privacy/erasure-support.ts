import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Deps } from "../../src/deps.js";

/** A click row as the click buffer would write it; only what a test varies is required. */
export type TestClick = {
  code: string;
  at: Date;
  visitorHash: string | null;
  counted: boolean;
  isBot?: boolean;
  shareStarted?: boolean;
  referrerHost?: string | null;
  country?: string | null;
};

const HOUR_MS = 3_600_000;

export async function insertClicks(deps: Deps, tenantId: string, recapId: string, clicks: TestClick[]) {
  for (const click of clicks) {
    const bucket = new Date(Math.floor(click.at.getTime() / HOUR_MS) * HOUR_MS);
    await deps.db.execute(sql`
      insert into link_clicks (id, code, tenant_id, recap_id, at, hour_bucket, visitor_hash, referrer_host, country,
        is_bot, bot_reason, method, counted, share_started)
      values (${randomUUID()}, ${click.code}, ${tenantId}, ${recapId}, ${click.at.toISOString()},
        ${bucket.toISOString()}, ${click.visitorHash}, ${click.referrerHost ?? null}, ${click.country ?? null},
        ${click.isBot ?? false}, ${click.isBot ? "test bot" : null}, 'GET', ${click.counted},
        ${click.shareStarted ?? false})`);
  }
}

/** A render-cache entry no recap points at, as a reviewer's preview leaves one. */
export async function insertUnreferencedAsset(deps: Deps, tenantId: string, ageMs: number): Promise<string> {
  const key = randomBytes(32).toString("hex");
  await deps.db.execute(sql`
    insert into assets (key, tenant_id, kind, content_type, bytes, byte_size, created_at)
    values (${key}, ${tenantId}, 'linkedin', 'image/png', ${"\\x89504e47"}::bytea, 4,
      ${new Date(Date.now() - ageMs).toISOString()})`);
  return key;
}

/** A count from a SQL query shaped `select count(*)::int as n …`. */
export async function countOf(deps: Deps, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await deps.db.execute<{ n: number }>(query);
  return row?.n ?? 0;
}

export async function accountIdOf(deps: Deps, tenantId: string, externalId: string): Promise<string | null> {
  const [row] = await deps.db.execute<{ id: string }>(
    sql`select id from accounts where tenant_id = ${tenantId} and external_id = ${externalId}`,
  );
  return row?.id ?? null;
}

export async function eventCountOf(deps: Deps, accountId: string): Promise<number> {
  return countOf(deps, sql`select count(*)::int as n from usage_events where account_id = ${accountId}`);
}

/**
 * A one-shot gate for a component under test: `arm()` makes the next `pass()` wait until
 * `release()`, and tells the test when something has arrived at it.
 */
export function createGate() {
  let armed: { arrived(): void; released: Promise<void> } | null = null;
  return {
    arm() {
      let arrived!: () => void;
      let release!: () => void;
      const hasArrived = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      armed = { arrived, released };
      return { arrived: hasArrived, release };
    },
    async pass() {
      const current = armed;
      if (!current) return;
      armed = null;
      current.arrived();
      await current.released;
    },
  };
}

/** The state of the newest job of a kind for a recap. */
export async function jobState(deps: Deps, name: string, recapId: string): Promise<string | null> {
  const [row] = await deps.db.execute<{ state: string }>(sql`
    select state from pgboss.job where name = ${name} and data->>'recapId' = ${recapId}
    order by created_on desc limit 1`);
  return row?.state ?? null;
}
