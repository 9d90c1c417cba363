import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { computeDigest, loadDigestMetrics } from "../src/usage/compute-digest.js";
import type { UsageEventInput } from "../src/usage/event-input.js";
import { lastFullQuarter, previousQuarter, quarterRange } from "../src/usage/period.js";
import { rebuildRollups } from "../src/usage/rollups.js";
import { listenForBench, seedIngestTenant } from "./ingest-setup.js";
import { type BenchRow, benchDeps, median, timed } from "./support.js";

const EVENTS_PER_RUN = Number(process.env.BENCH_INGEST_EVENTS ?? 100_000);
const BATCH = 10_000;
const DIGEST_EVENTS = Number(process.env.BENCH_DIGEST_EVENTS ?? 1_000_000);
const ROUNDS = 3;
const KINDS = ["automation.run", "validation.blocked", "invoice.discount_captured", "user.active"];

function makeEvents(count: number, accounts: string[], start: number, span: number): UsageEventInput[] {
  return Array.from({ length: count }, (_, index) => ({
    account: accounts[index % accounts.length] as string,
    event: KINDS[index % KINDS.length] as string,
    quantity: 1 + (index % 7),
    occurred_at: new Date(start + ((index * 7919) % span)).toISOString(),
    event_id: randomUUID(),
    ...(index % 4 === 3 ? { properties: { user_id: `u${index % 40}` } } : {}),
  }));
}

/** Raw COPY of the same rows into the same table: the fastest way PostgreSQL takes them in. */
async function copyRows(
  sql: import("postgres").Sql,
  tenantId: string,
  ids: Map<string, string>,
  events: UsageEventInput[],
) {
  const copyEscape = (value: string) => value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
  function* lines() {
    for (const event of events) {
      yield `${tenantId}\t${ids.get(event.account)}\t${copyEscape(event.event)}\t${event.quantity}\t${event.occurred_at}\t${event.event_id ?? "\\N"}\t${event.properties ? copyEscape(JSON.stringify(event.properties)) : "\\N"}\n`;
    }
  }
  const stream =
    await sql`copy usage_events (tenant_id, account_id, event, quantity, occurred_at, event_id, properties) from stdin`.writable();
  await pipeline(Readable.from(lines()), stream);
}

export async function benchIngest(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  const server = await listenForBench(deps);
  try {
    const { tenant, key, externalIds, accountIds: ids } = await seedIngestTenant(deps);
    const now = Date.now();
    const copyRates: number[] = [];
    const apiRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const events = makeEvents(EVENTS_PER_RUN, externalIds, now - 80 * 86_400_000, 80 * 86_400_000);
      await deps.sql`truncate usage_events`;
      const copy = await timed(() => copyRows(deps.sql, tenant.id, ids, events));
      copyRates.push(EVENTS_PER_RUN / (copy.ms / 1000));
      await deps.sql`truncate usage_events`;
      const bodies: string[] = [];
      for (let offset = 0; offset < events.length; offset += BATCH) {
        bodies.push(JSON.stringify({ events: events.slice(offset, offset + BATCH) }));
      }
      // Two backend workers sending batches side by side, as a real integration would.
      const api = await timed(async () => {
        let next = 0;
        const worker = async () => {
          while (next < bodies.length) {
            const body = bodies[next++] as string;
            const response = await fetch(`${server.url}/v1/events`, {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body,
            });
            if (response.status !== 200)
              throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
          }
        };
        await Promise.all([worker(), worker()]);
      });
      apiRates.push(EVENTS_PER_RUN / (api.ms / 1000));
      const [stored] = await deps.sql<{ n: number }[]>`select count(*)::int as n from usage_events`;
      if (stored?.n !== EVENTS_PER_RUN) throw new Error(`stored ${stored?.n} of ${EVENTS_PER_RUN} events`);
    }

    // Digest: one account with DIGEST_EVENTS events in the quarter, peers with a few thousand each.
    await deps.sql`truncate usage_events`;
    const quarter = lastFullQuarter(new Date(), "Europe/Tallinn");
    const range = quarterRange(quarter, "Europe/Tallinn");
    const previous = quarterRange(previousQuarter(quarter), "Europe/Tallinn");
    const span = range.end.getTime() - range.start.getTime();
    for (let offset = 0; offset < DIGEST_EVENTS; offset += 200_000) {
      await copyRows(deps.sql, tenant.id, ids, makeEvents(200_000, ["acct-0"], range.start.getTime(), span));
    }
    await copyRows(deps.sql, tenant.id, ids, makeEvents(DIGEST_EVENTS / 4, ["acct-0"], previous.start.getTime(), span));
    await copyRows(deps.sql, tenant.id, ids, makeEvents(29 * 5_000, externalIds.slice(1), range.start.getTime(), span));
    // COPY went around the API, so the rollups the digest reads are built from the raw events.
    await rebuildRollups(deps, tenant.id);
    await deps.sql`vacuum analyze usage_rollups`;
    const metrics = await loadDigestMetrics(deps, tenant.id);
    const { getAccountByExternalId } = await import("../src/usage/accounts.js");
    const account = await getAccountByExternalId(deps.db, tenant.id, "acct-0");
    const digestTimes: number[] = [];
    const scanTimes: number[] = [];
    for (let round = 0; round < 6; round++) {
      const digest = await timed(() => computeDigest(deps, { tenant, account, quarter, metrics }));
      if (digest.result.status !== "ok") throw new Error("bench digest was not ok");
      const scan = await timed(
        () => deps.sql`select count(*), sum(quantity) from usage_events
                       where account_id = ${account.id} and occurred_at >= ${range.start.toISOString()}::timestamptz
                         and occurred_at < ${range.end.toISOString()}::timestamptz`,
      );
      await deps.sql`select 1`;
      if (round > 0) {
        digestTimes.push(digest.ms);
        scanTimes.push(scan.ms);
      }
    }
    const copyRate = median(copyRates);
    const apiRate = median(apiRates);
    const digestMs = median(digestTimes);
    const scanMs = median(scanTimes);
    return [
      {
        name: `POST /v1/events (${BATCH.toLocaleString("en")}-event batches, 2 clients)`,
        value: Math.round(apiRate),
        unit: "events/s",
        baselineName: "raw COPY of the same rows",
        baselineValue: Math.round(copyRate),
        ratio: apiRate / copyRate,
        aim: "≥ 0.40",
      },
      {
        name: `digest, one account with ${DIGEST_EVENTS.toLocaleString("en")} events in the quarter`,
        value: Math.round(digestMs),
        unit: "ms",
        baselineName: "one bare count+sum scan of the same quarter",
        baselineValue: Math.round(scanMs),
        ratio: scanMs / digestMs,
        aim: "< 500 ms",
      },
    ];
  } finally {
    server.close();
    await close();
  }
}
