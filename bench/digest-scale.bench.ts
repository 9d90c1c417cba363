import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import { getAccountByExternalId } from "../src/usage/accounts.js";
import { computeDigest, loadDigestMetrics } from "../src/usage/compute-digest.js";
import { lastFullQuarter, previousQuarter, quarterRange } from "../src/usage/period.js";
import { rebuildRollups } from "../src/usage/rollups.js";
import { seedIngestTenant } from "./ingest-setup.js";
import { type BenchRow, benchDeps, median, timed } from "./support.js";

/** The two sizes of one account's quarter; the bigger one is loaded on top of the smaller. */
const SMALL = Number(process.env.BENCH_DIGEST_SMALL ?? 1_000_000);
const LARGE = Number(process.env.BENCH_DIGEST_LARGE ?? 10_000_000);
/** A big account's people: the distinct-users metric counts up to this many values. */
const USERS = Number(process.env.BENCH_DIGEST_USERS ?? 1_000);
const ROUNDS = 6;
const KINDS = ["automation.run", "validation.blocked", "invoice.discount_captured", "user.active"];

/**
 * COPY of `count` events of one account spread evenly over [start, start + span), shaped like the
 * ingest bench's (four kinds, a user id on every fourth), generated as they stream so that ten
 * million rows never sit in memory. No event ids: the dedupe index is not what is measured here.
 */
async function copyEvents(
  sql: postgres.Sql,
  row: { tenantId: string; accountId: string },
  count: number,
  start: number,
  span: number,
  seed: number,
) {
  function* lines() {
    for (let index = 0; index < count; index++) {
      const at = new Date(start + Math.floor(((index * 7919 + seed) % count) * (span / count))).toISOString();
      const properties = index % 4 === 3 ? `{"user_id": "u${(index * 31 + seed) % USERS}"}` : "\\N";
      yield `${row.tenantId}\t${row.accountId}\t${KINDS[index % 4]}\t${1 + (index % 7)}\t${at}\t\\N\t${properties}\n`;
    }
  }
  const stream =
    await sql`copy usage_events (tenant_id, account_id, event, quantity, occurred_at, event_id, properties) from stdin`.writable();
  await pipeline(Readable.from(lines(), { objectMode: false }), stream);
}

/**
 * Whether the digest's cost grows with the period or with the events: one account's digest with
 * SMALL and then LARGE events in the quarter (a quarter of that again in the previous one, 29
 * peers with 5,000 events each), read from the rollups that ingestion maintains. Baseline: the
 * SMALL digest; the figure is the LARGE one, so the ratio is how much slower ten times the events
 * made it (aim ≥ 0.67, i.e. within 1.5×). A bare count of the quarter's raw events is printed
 * beside it to show what reading events would cost instead.
 */
export async function benchDigestScale(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  try {
    const { tenant, externalIds, accountIds } = await seedIngestTenant(deps);
    const quarter = lastFullQuarter(new Date(), "Europe/Tallinn");
    const range = quarterRange(quarter, "Europe/Tallinn");
    const previous = quarterRange(previousQuarter(quarter), "Europe/Tallinn");
    const span = range.end.getTime() - range.start.getTime();
    const target = { tenantId: tenant.id, accountId: accountIds.get("acct-0") as string };
    for (const externalId of externalIds.slice(1)) {
      const peer = { tenantId: tenant.id, accountId: accountIds.get(externalId) as string };
      await copyEvents(deps.sql, peer, 5_000, range.start.getTime(), span, 1);
    }
    const metrics = await loadDigestMetrics(deps, tenant.id);
    const account = await getAccountByExternalId(deps.db, tenant.id, "acct-0");

    const measure = async (events: number) => {
      // COPY went around the API, so the rollups are built from the raw events, as an operator would.
      const rebuild = await timed(() => rebuildRollups(deps, tenant.id));
      await deps.sql`vacuum analyze`;
      const digestTimes: number[] = [];
      const scanTimes: number[] = [];
      // Every digest round first, then the scans: a scan of millions of raw rows evicts the rollups
      // from PostgreSQL's cache, and interleaving them measured the digest cold at the larger size.
      for (let round = 0; round < ROUNDS; round++) {
        const digest = await timed(() => computeDigest(deps, { tenant, account, quarter, metrics }));
        if (digest.result.status !== "ok") throw new Error("bench digest was not ok");
        if (round > 0) digestTimes.push(digest.ms);
      }
      for (let round = 0; round < 3; round++) {
        const scan = await timed(
          () => deps.sql`select count(*), sum(quantity) from usage_events
                         where account_id = ${account.id} and occurred_at >= ${range.start.toISOString()}::timestamptz
                           and occurred_at < ${range.end.toISOString()}::timestamptz`,
        );
        scanTimes.push(scan.ms);
      }
      const [sizes] = await deps.sql<{ rollups: number; distinct: number }[]>`
        select (select count(*)::int from usage_rollups where account_id = ${account.id}) as rollups,
               (select count(*)::int from usage_distinct_values where account_id = ${account.id}) as distinct`;
      process.stderr.write(
        `  ${events.toLocaleString("en")} events: digest ${median(digestTimes).toFixed(1)} ms, raw scan ${median(scanTimes).toFixed(1)} ms, rebuild ${(rebuild.ms / 1000).toFixed(1)} s, ${sizes?.rollups} rollup rows, ${sizes?.distinct} distinct-value rows\n`,
      );
      return { digestMs: median(digestTimes), scanMs: median(scanTimes) };
    };

    const load = async (from: number, to: number) => {
      const chunk = 1_000_000;
      for (let offset = from; offset < to; offset += chunk) {
        const count = Math.min(chunk, to - offset);
        await copyEvents(deps.sql, target, count, range.start.getTime(), span, offset);
        await copyEvents(deps.sql, target, Math.round(count / 4), previous.start.getTime(), span, offset + 7);
      }
    };
    const loadSmall = await timed(() => load(0, SMALL));
    process.stderr.write(`  loaded ${SMALL.toLocaleString("en")} events in ${(loadSmall.ms / 1000).toFixed(1)} s\n`);
    const small = await measure(SMALL);
    const loadLarge = await timed(() => load(SMALL, LARGE));
    process.stderr.write(`  loaded ${LARGE.toLocaleString("en")} events in ${(loadLarge.ms / 1000).toFixed(1)} s\n`);
    const large = await measure(LARGE);
    const round1 = (ms: number) => Math.round(ms * 10) / 10;
    return [
      {
        name: `digest, one account with ${LARGE.toLocaleString("en")} events in the quarter (${USERS} users)`,
        value: round1(large.digestMs),
        unit: "ms",
        baselineName: `the same digest with ${SMALL.toLocaleString("en")} events`,
        baselineValue: round1(small.digestMs),
        ratio: small.digestMs / large.digestMs,
        aim: "≥ 0.67 (within 1.5×)",
      },
      {
        name: `bare count+sum of the quarter's raw events, ${LARGE.toLocaleString("en")} events (what not reading rollups would cost)`,
        value: round1(large.scanMs),
        unit: "ms",
        baselineName: `the same with ${SMALL.toLocaleString("en")} events`,
        baselineValue: round1(small.scanMs),
        ratio: small.scanMs / large.scanMs,
      },
    ];
  } finally {
    await close();
  }
}
