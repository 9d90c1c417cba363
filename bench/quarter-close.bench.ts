import { eq, inArray } from "drizzle-orm";
import { createApp } from "../src/app.js";
import { renderInputFor } from "../src/assets/render-input.js";
import type { Deps } from "../src/deps.js";
import { createTemplateDrafter } from "../src/drafting/template-drafter.js";
import { inlineTemplateDrafting } from "../src/drafting/template-drafting.js";
import { chooseVariant } from "../src/drafting/variant.js";
import { jobDefinitions } from "../src/jobs.js";
import { SCOPES } from "../src/platform/auth/scopes.js";
import type { Clock } from "../src/platform/clock.js";
import { createApiKey } from "../src/platform/tenancy/api-keys.js";
import { tenants } from "../src/platform/tenancy/tenancy.schema.js";
import { createTenant, getTenant } from "../src/platform/tenancy/tenants.js";
import { writeCopy } from "../src/recaps/draft.job.js";
import { getRecap, type Recap } from "../src/recaps/recaps.js";
import { recaps } from "../src/recaps/recaps.schema.js";
import { QUARTERLY_SCHEDULE_JOB } from "../src/recaps/schedule.js";
import { createRenderer } from "../src/rendering/renderer.js";
import { ASSET_KINDS } from "../src/rendering/rendering.types.js";
import { bulkApproveClean } from "../src/review/bulk-approve.js";
import { computeDigest, loadDigestMetrics, type PeerCache } from "../src/usage/compute-digest.js";
import { lastFullQuarter, previousQuarter, quarterRange } from "../src/usage/period.js";
import { rebuildRollups } from "../src/usage/rollups.js";
import { accounts } from "../src/usage/usage.schema.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../src/usage/value-model.js";
import { startService, waitUntilServing } from "../tests/faults/processes.js";
import { listenForBench } from "./ingest-setup.js";
import { startProbe } from "./latency-probe.js";
import { type BenchRow, benchApi, benchDeps, cpuSeconds, percentile, timed } from "./support.js";

/** Knobs for a smaller run: `BENCH_CLOSE_ACCOUNTS=1000 npm run bench -- quarter-close`. */
const ACCOUNTS = Number(process.env.BENCH_CLOSE_ACCOUNTS ?? 10_000);
/** The second tenant, whose close runs beside the big one: fairness is how soon it is done. */
const SMALL_ACCOUNTS = Number(process.env.BENCH_CLOSE_SMALL_ACCOUNTS ?? 100);
/** Events per account over the two quarters a digest reads (the closed one and the one before). */
const EVENTS_PER_ACCOUNT = Number(process.env.BENCH_CLOSE_EVENTS_PER_ACCOUNT ?? 240);
const APPROVE = Math.min(ACCOUNTS, Number(process.env.BENCH_CLOSE_APPROVE ?? 1_000));
/** Accounts whose digest and draft the floor runs in a tight loop (a rate, so a sample is enough). */
const FLOOR_SAMPLE = Math.min(ACCOUNTS, Number(process.env.BENCH_CLOSE_FLOOR_SAMPLE ?? 1_000));
/** Recaps the render pool renders on its own for its throughput. */
const POOL_SAMPLE = Number(process.env.BENCH_CLOSE_POOL_SAMPLE ?? 40);
/** Requests per second to each public route while measuring latency (an open loop, not a flood). */
const PROBE_RATE = Number(process.env.BENCH_CLOSE_PROBE_RATE ?? 10);
const IDLE_SECONDS = Number(process.env.BENCH_CLOSE_IDLE_SECONDS ?? 10);
/**
 * Where the probed public routes run: "process" (default) is the documented topology at scale, a
 * `serve --no-worker` process of its own beside the worker (this process); "inline" serves them
 * from the worker's own process, as a single `serve` with its worker would.
 */
const API = process.env.BENCH_CLOSE_API === "inline" ? "inline" : "process";
const SEGMENTS = ["starter", "growth", "enterprise"];
const DAY_MS = 86_400_000;

/**
 * Real time, moved so that "now" is two and a half days into the current quarter: the schedule
 * (day 1 after the quarter's end) is due whatever day the bench runs, and time still passes.
 */
export function closeDayClock(): Clock {
  const real = new Date();
  const quarterStart = Date.UTC(real.getUTCFullYear(), Math.floor(real.getUTCMonth() / 3) * 3, 1);
  const offset = real.getTime() - (quarterStart + 2.5 * DAY_MS);
  return { now: () => new Date(Date.now() - offset) };
}

/**
 * `count` accounts (`acct-0` …) in three segments, the default value model, and `eventsPerAccount`
 * work-hour events each on about half the days of the two quarters from `from`, rolled up by the
 * service's own rebuild and analyzed. Inserted in SQL: the set-up is not what is measured.
 */
export async function seedCloseTenant(
  deps: Deps,
  tenantId: string,
  count: number,
  eventsPerAccount: number,
  from: Date,
): Promise<void> {
  for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(deps.db, tenantId, key, input);
  for (let start = 0; start < count; start += 1000) {
    await deps.db.insert(accounts).values(
      Array.from({ length: Math.min(1000, count - start) }, (_, offset) => {
        const index = start + offset;
        return {
          tenantId: tenantId,
          externalId: `acct-${index}`,
          name: `Customer ${index} Oy`,
          timeZone: "UTC",
          segment: SEGMENTS[index % SEGMENTS.length] as string,
          seats: 5 + (index % 40),
          subscriptionPrice: 49 + (index % 5) * 50,
          subscriptionPeriod: "month" as const,
          consent: { publicRecap: true, peerComparison: true },
        };
      }),
    );
  }
  // Work-hour events on about half the days of both quarters, spread by account and event.
  await deps.sql`
    insert into usage_events (tenant_id, account_id, event, quantity, occurred_at, properties)
    select a.tenant_id, a.id, k.event, 1 + (g % 7),
           ${from.toISOString()}::timestamptz
             + ((((g * 7919 + (abs(hashtext(a.id::text)::bigint) % 100003)) % 91) * 2 + (g % 2)) * interval '1 day')
             + ((9 + (g * 31 + (abs(hashtext(a.id::text)::bigint) % 100003)) % 9) * interval '1 hour')
             + ((g * 13 % 60) * interval '1 minute'),
           case when k.event = 'user.active' then jsonb_build_object('user_id', 'u' || (g % (3 + coalesce(a.seats, 5) % 17))) end
    from accounts a
    cross join generate_series(1, ${eventsPerAccount}::int) g
    cross join lateral (select (array['automation.run', 'automation.run', 'validation.blocked',
                                      'invoice.discount_captured', 'user.active'])[1 + g % 5] as event) k
    where a.tenant_id = ${tenantId}`;
  await rebuildRollups(deps, tenantId);
  // Fresh statistics: a close on plans made for empty tables measures the planner, not the service.
  await deps.sql`analyze`;
}

export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 3_600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The day after a quarter ends. A tenant with ACCOUNTS accounts and a small one with
 * SMALL_ACCOUNTS, each account with EVENTS_PER_ACCOUNT events over the two quarters its digest
 * reads (inserted in SQL, rolled up by the service's own rebuild). Rows:
 * - the close: the schedule job fired, until every recap is drafted and fact-checked, against the
 *   floor (the same digests and drafts with fact-checks called one after another, no queue);
 * - fairness: when the small tenant's close is done, against the whole close;
 * - bulk approval of APPROVE recaps until all their assets exist, against the render pool alone;
 * - GET /r/:code and POST /v1/events p50/p99 during the close against the idle service, served by
 *   a `serve --no-worker` process of their own (BENCH_CLOSE_API=inline: by this worker process).
 */
export async function benchQuarterClose(): Promise<BenchRow[]> {
  const clock = closeDayClock();
  const { deps, close, postgresDataDir } = await benchDeps({
    env: { RATE_LIMIT_PER_MINUTE: "off" },
    overrides: { clock, drafter: createTemplateDrafter() },
  });
  const server =
    API === "inline"
      ? await listenForBench(deps)
      : await (async () => {
          const api = await startService(
            "serve",
            { DATABASE_URL: String(deps.config.databaseUrl), RATE_LIMIT_PER_MINUTE: "off", LOG_LEVEL: "warn" },
            { args: ["--no-worker"] },
          );
          await waitUntilServing(api);
          return { url: api.url, close: () => void api.dispose() };
        })();
  const note = (line: string) => process.stderr.write(`  ${line}\n`);
  try {
    const quarter = lastFullQuarter(clock.now(), "UTC");
    const from = quarterRange(previousQuarter(quarter), "UTC").start;
    const big = await createTenant(deps.db, deps.queue, { name: "Close Big", slug: "close-big" });
    const small = await createTenant(deps.db, deps.queue, {
      name: "Close Small",
      slug: "close-small",
      signupUrl: "https://signup.example.com/join",
    });
    const { key: smallKey } = await createApiKey(deps.db, { tenantId: small.id, name: "bench", scopes: [...SCOPES] });

    const seed = await timed(async () => {
      for (const [tenant, count] of [
        [big, ACCOUNTS],
        [small, SMALL_ACCOUNTS + 1],
      ] as const) {
        await seedCloseTenant(deps, tenant.id, count, EVENTS_PER_ACCOUNT, from);
      }
    });
    const [{ events = 0, rollups = 0 } = {}] = await deps.sql<{ events: number; rollups: number }[]>`
      select (select count(*)::int from usage_events) as events, (select count(*)::int from usage_rollups) as rollups`;
    note(
      `set-up: ${ACCOUNTS + SMALL_ACCOUNTS + 1} accounts, ${events.toLocaleString("en")} events, ${rollups.toLocaleString("en")} rollup rows in ${(seed.ms / 1000).toFixed(0)} s`,
    );
    await deps.queue.work(jobDefinitions(deps));

    // The share link the probes click: one published recap of the small tenant's spare account.
    const app = createApp(deps);
    const api = benchApi(app, smallKey);
    const showcase = `acct-${SMALL_ACCOUNTS}`;
    const created = await api("POST", "/v1/recaps", { account: showcase });
    const showcaseId = String(created.body.id);
    let pending = await api("GET", `/v1/recaps/${showcaseId}`);
    await waitUntil(async () => {
      pending = await api("GET", `/v1/recaps/${showcaseId}`);
      return pending.body.state === "pending_review";
    }, "the showcase draft");
    const approved = await api("POST", `/v1/recaps/${showcaseId}/approve`, {}, { "if-match": pending.etag });
    const published = await api("POST", `/v1/recaps/${showcaseId}/publish`, {}, { "if-match": approved.etag });
    if (published.body.state !== "published") throw new Error(`could not publish: ${JSON.stringify(published.body)}`);
    const link = await api("POST", `/v1/recaps/${showcaseId}/links`, { channel: "linkedin" });
    const redirectUrl = `${server.url}/r/${String(link.body.code)}`;
    await waitUntil(
      async () => (await openJobs(deps.sql, ["recap.render", "recap.draft"])) === 0,
      "the showcase renders",
    );
    const clockOffsetMs = Date.now() - clock.now().getTime();
    let probeRound = 0;
    const probes = () => {
      probeRound++;
      return {
        redirect: startProbe(
          redirectUrl,
          { kind: "get", headers: { "user-agent": "Mozilla/5.0 Firefox/128.0 bench" } },
          302,
          PROBE_RATE,
        ),
        // Spread over the small tenant's accounts: one account's 15-minute rollup row taking 20
        // writes a second would measure that row's lock, not the service.
        events: startProbe(
          `${server.url}/v1/events`,
          {
            kind: "events",
            apiKey: smallKey,
            accounts: SMALL_ACCOUNTS,
            clockOffsetMs,
            idPrefix: `probe-${probeRound}`,
          },
          200,
          PROBE_RATE,
        ),
      };
    };

    // The floor: the same digests and drafts (with their fact-checks), one after another, no queue.
    const bigTenant = await getTenant(deps.db, big.id);
    const metrics = await loadDigestMetrics(deps, big.id);
    const sample = await deps.db.select().from(accounts).where(eq(accounts.tenantId, big.id)).limit(FLOOR_SAMPLE);
    const floorCache: PeerCache = new Map();
    // The floor drafts on this thread: the work itself, without the service's hop to a drafting thread.
    const floorDeps = { ...deps, templateDrafting: inlineTemplateDrafting() };
    const floorCpu = await cpuSeconds(postgresDataDir);
    const floor = await timed(async () => {
      for (const account of sample) {
        const digest = await computeDigest(deps, {
          tenant: bigTenant,
          account,
          quarter,
          metrics,
          peerCache: floorCache,
        });
        if (digest.status !== "ok") throw new Error(`the floor's digest for ${account.externalId}: ${digest.status}`);
        const recap = {
          id: crypto.randomUUID(),
          tenantId: big.id,
          digest,
          locale: "en",
          variant: chooseVariant(bigTenant.variantPolicy, account.id),
          kind: "quarterly",
          origin: { type: "schedule" },
          hiddenFactIds: [],
        } as unknown as Recap;
        const written = await writeCopy(floorDeps, recap, { tenant: bigTenant, accountName: account.name }, null);
        if (!written.factCheck) throw new Error("no fact-check");
      }
    });
    const floorPerRecapMs = floor.ms / sample.length;
    note(`floor: ${sample.length} digests + drafts in ${(floor.ms / 1000).toFixed(1)} s`);
    note(`floor: ${cpuPerRecap(floorCpu, await cpuSeconds(postgresDataDir), sample.length)}`);

    // The idle service's latency, after two seconds of the same requests (its link cache filled,
    // its code compiled): an idle baseline of 100 requests would otherwise have its p99 set by the first.
    const warmUp = probes();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await Promise.all([warmUp.redirect.stop(), warmUp.events.stop()]);
    const idle = probes();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idleRedirect = await idle.redirect.stop();
    const idleEvents = await idle.events.stop();

    // The close: the schedule fires (twice, as two workers' cron would) for both tenants.
    const closeIds = [big.id, small.id];
    await deps.db.update(tenants).set({ recapScheduleDay: 1 }).where(inArray(tenants.id, closeIds));
    const expected = ACCOUNTS + SMALL_ACCOUNTS;
    const busy = probes();
    const closeCpu = await cpuSeconds(postgresDataDir);
    const started = performance.now();
    const closeClockStart = clock.now();
    await deps.queue.enqueue(QUARTERLY_SCHEDULE_JOB, {});
    await deps.queue.enqueue(QUARTERLY_SCHEDULE_JOB, {});
    let smallDoneMs = 0;
    const drafted = async (tenantId: string) => {
      const [row] = await deps.sql<{ n: number; failed: number }[]>`
        select count(*) filter (where state not in ('drafting'))::int as n, count(*) filter (where state = 'failed')::int as failed
        from recaps where tenant_id = ${tenantId} and kind = 'quarterly' and origin->>'type' = 'schedule'`;
      if (row?.failed) throw new Error(`${row.failed} recaps failed to draft`);
      return row?.n ?? 0;
    };
    await waitUntil(async () => {
      if (!smallDoneMs && (await drafted(small.id)) === SMALL_ACCOUNTS) smallDoneMs = performance.now() - started;
      return (await drafted(big.id)) === ACCOUNTS && smallDoneMs > 0;
    }, "the close");
    const closeMs = performance.now() - started;
    note(`close: ${cpuPerRecap(closeCpu, await cpuSeconds(postgresDataDir), expected)}`);
    const closeRedirect = await busy.redirect.stop();
    const closeEvents = await busy.events.stop();
    const [counts] = await deps.sql<{ recaps: number; drafted: number }[]>`
      select count(distinct r.id)::int as recaps, count(e.id)::int as drafted
      from recaps r left join recap_events e on e.recap_id = r.id and e.action = 'draft_completed'
      where r.tenant_id = any(${closeIds}) and r.origin->>'type' = 'schedule'`;
    if (counts?.recaps !== expected || counts.drafted !== expected) {
      throw new Error(`expected ${expected} recaps drafted once each, found ${JSON.stringify(counts)}`);
    }
    // When each tenant's recaps were created (the schedule) and drafted, in seconds into the close.
    const timeline = await deps.sql<{ tenant: string; created: number; drafted: number }[]>`
      select case when r.tenant_id = ${small.id} then 'small' else 'big' end as tenant,
             round(extract(epoch from max(r.created_at) - ${closeClockStart.toISOString()}::timestamptz))::int as created,
             round(extract(epoch from max(e.at) - ${closeClockStart.toISOString()}::timestamptz))::int as drafted
      from recaps r join recap_events e on e.recap_id = r.id and e.action = 'draft_completed'
      where r.tenant_id = any(${closeIds}) and r.origin->>'type' = 'schedule' group by 1 order by 1`;
    for (const row of timeline)
      note(`${row.tenant} tenant: last recap created at ${row.created} s, last drafted at ${row.drafted} s`);
    note(
      `close: ${expected} recaps in ${(closeMs / 1000).toFixed(1)} s (small tenant done at ${(smallDoneMs / 1000).toFixed(1)} s)`,
    );

    // The render pool on its own: every asset kind of POOL_SAMPLE recaps, as many at once as threads.
    const toApprove = await deps.db
      .select({ id: recaps.id, version: recaps.version })
      .from(recaps)
      .where(eq(recaps.tenantId, big.id))
      .orderBy(recaps.createdAt, recaps.id)
      .limit(APPROVE);
    const poolRenderer = createRenderer();
    let poolMs = 0;
    try {
      const inputs = [];
      for (const pick of toApprove.slice(0, POOL_SAMPLE)) {
        // Rendered as it will be once approved: the same input the render job builds.
        const recap = { ...(await getRecap(deps.db, big.id, pick.id)), state: "approved" as const };
        inputs.push(renderInputFor(recap, bigTenant, { shareUrl: "https://example.com/s/bench" }));
      }
      await poolRenderer.render("linkedin", inputs[0] as never); // fonts loaded in each thread first
      const work = inputs.flatMap((input) => ASSET_KINDS.map((kind) => () => poolRenderer.render(kind, input)));
      poolMs = (
        await timed(async () => {
          const lanes = Array.from({ length: poolRenderer.threads * 2 }, async () => {
            for (let next = work.shift(); next; next = work.shift()) await next();
          });
          await Promise.all(lanes);
        })
      ).ms;
    } finally {
      await poolRenderer.close();
    }
    const poolPerRecapMs = poolMs / Math.min(POOL_SAMPLE, toApprove.length);

    // Bulk approval through the reviewer's use case, 100 at a time, until every asset exists.
    const renders = probes();
    const approval = await timed(async () => {
      for (let start = 0; start < toApprove.length; start += 100) {
        const results = await bulkApproveClean(
          deps,
          big.id,
          { type: "reviewer", id: null, name: "bench" },
          toApprove.slice(start, start + 100),
        );
        const refused = results.filter((result) => result.outcome !== "approved");
        if (refused.length) throw new Error(`bulk approval refused: ${JSON.stringify(refused[0])}`);
      }
      await waitUntil(async () => {
        const [row] = await deps.sql<{ n: number }[]>`
          select count(*)::int as n from recap_assets where recap_id = any(${toApprove.map((pick) => pick.id)})`;
        return row?.n === toApprove.length * ASSET_KINDS.length;
      }, "the approved recaps' assets");
    });
    const renderRedirect = await renders.redirect.stop();
    const renderEvents = await renders.events.stop();
    note(`bulk approval: ${toApprove.length} recaps' assets in ${(approval.ms / 1000).toFixed(1)} s`);

    for (const [name, run] of Object.entries({
      idleRedirect,
      idleEvents,
      closeRedirect,
      closeEvents,
      renderRedirect,
      renderEvents,
    })) {
      if (run.failures) throw new Error(`${name}: ${run.failures} probe requests failed`);
    }
    const latencyRows = (
      route: string,
      idleRun: { latencies: number[] },
      busyRun: { latencies: number[] },
      when: string,
      aim?: string,
    ) =>
      [50, 99].map((p) => {
        const value = round(percentile(busyRun.latencies, p));
        const baselineValue = round(percentile(idleRun.latencies, p));
        return {
          name: `${route} p${p} ${when} (${busyRun.latencies.length} requests)`,
          value,
          unit: "ms",
          baselineName: "idle service",
          baselineValue,
          ratio: baselineValue / value,
          ...(p === 99 && aim ? { aim } : {}),
        };
      });
    const serviceRate = expected / (closeMs / 1000);
    const floorRate = 1000 / floorPerRecapMs;
    const approvalRate = toApprove.length / (approval.ms / 1000);
    const poolRate = 1000 / poolPerRecapMs;
    return [
      {
        name: `quarter close: ${expected.toLocaleString("en")} recaps drafted and fact-checked (${(closeMs / 1000).toFixed(0)} s)`,
        value: round(serviceRate),
        unit: "recaps/s",
        baselineName: `floor: digest + draft in a loop (${sample.length})`,
        baselineValue: round(floorRate),
        ratio: serviceRate / floorRate,
        aim: "≥ 0.67 (within 1.5× of the floor)",
      },
      {
        name: `fairness: the small tenant's ${SMALL_ACCOUNTS} recaps drafted during the close`,
        value: round(smallDoneMs / 1000),
        unit: "s",
        baselineName: "the whole close",
        baselineValue: round(closeMs / 1000),
        ratio: closeMs / smallDoneMs,
        // Tenant after tenant (the schedule before round-robin) finishes the small one last: 1.0.
        aim: `above 1 (tenant after tenant: 1.0; its share of the work: ${round(expected / SMALL_ACCOUNTS / 2)})`,
      },
      {
        name: `bulk approval: ${toApprove.length.toLocaleString("en")} recaps until all ${ASSET_KINDS.length} assets exist (${(approval.ms / 1000).toFixed(0)} s)`,
        value: round(approvalRate),
        unit: "recaps/s",
        baselineName: `render pool alone (${Math.min(POOL_SAMPLE, toApprove.length)} recaps)`,
        baselineValue: round(poolRate),
        ratio: approvalRate / poolRate,
      },
      ...latencyRows("GET /r/:code", idleRedirect, closeRedirect, "during drafting", "p99 < 50 ms"),
      ...latencyRows("POST /v1/events", idleEvents, closeEvents, "during drafting"),
      ...latencyRows("GET /r/:code", idleRedirect, renderRedirect, "during renders", "p99 < 50 ms"),
      ...latencyRows("POST /v1/events", idleEvents, renderEvents, "during renders"),
    ];
  } finally {
    server.close();
    await close();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;

/** CPU milliseconds per recap between two readings, this process's and PostgreSQL's. */
function cpuPerRecap(
  before: Awaited<ReturnType<typeof cpuSeconds>>,
  after: Awaited<ReturnType<typeof cpuSeconds>>,
  recapCount: number,
) {
  const per = (seconds: number) => `${((seconds * 1000) / recapCount).toFixed(2)} ms`;
  const postgresCpu =
    before.postgres === null || after.postgres === null ? "unknown" : per(after.postgres - before.postgres);
  return `CPU per recap: this process ${per(after.node - before.node)}, PostgreSQL ${postgresCpu}`;
}

async function openJobs(sql: import("postgres").Sql, names: string[]) {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from pgboss.job where name = any(${names}) and state in ('created', 'retry', 'active')`;
  return row?.n ?? 0;
}
