import { sql as drizzleSql } from "drizzle-orm";
import { createTenant } from "../src/platform/tenancy/tenants.js";
import { runQuarterlySchedule } from "../src/recaps/schedule.js";
import { lastFullQuarter, previousQuarter, quarterRange } from "../src/usage/period.js";
import { type ServiceProcess, startService } from "../tests/faults/processes.js";
import { closeDayClock, seedCloseTenant, waitUntil } from "./quarter-close.bench.js";
import { type BenchRow, benchDeps } from "./support.js";

/** Recaps in each close (`BENCH_KILL_RECAPS=100` for a quick run). */
const RECAPS = Number(process.env.BENCH_KILL_RECAPS ?? 500);
/** The shortest heartbeat the service accepts, and a supervisor pass every second. */
const RECOVERY = { JOB_HEARTBEAT_SECONDS: "10", JOB_SUPERVISE_INTERVAL_SECONDS: "1" };

/**
 * A worker process (`outcome-recap worker`, as an operator runs it) SIGKILLed a third of the way
 * through a close of RECAPS recaps, and a new worker started: every recap must still be drafted,
 * once, with nothing left in `drafting`. Against the same close on a worker that is not killed,
 * in the same run: the price of the kill is about one heartbeat plus a restart.
 */
export async function benchCloseKill(): Promise<BenchRow[]> {
  const clock = closeDayClock();
  // The heartbeat is a queue setting, stamped on each job when it is enqueued: set it before the schedule runs.
  const { deps, config, close } = await benchDeps({
    overrides: { clock, queue: { background: false, heartbeatSeconds: 10 } },
  });
  const workers: ServiceProcess[] = [];
  const worker = async () => {
    const started = await startService("worker", {
      DATABASE_URL: config.databaseUrl ?? "",
      DATABASE_POOL_SIZE: "5",
      LOG_LEVEL: "info",
      ...RECOVERY,
    });
    workers.push(started);
    return started;
  };
  const count = async (tenantId: string) => {
    const [row] = await deps.sql<{ drafting: number; drafted: number; events: number }[]>`
      select count(*) filter (where r.state = 'drafting')::int as drafting,
             count(*) filter (where r.state <> 'drafting')::int as drafted,
             (select count(*)::int from recap_events e where e.tenant_id = ${tenantId} and e.action = 'draft_completed') as events
      from recaps r where r.tenant_id = ${tenantId}`;
    return row ?? { drafting: 0, drafted: 0, events: 0 };
  };
  try {
    const quarter = lastFullQuarter(clock.now(), "UTC");
    const from = quarterRange(previousQuarter(quarter), "UTC").start;
    const runs: { ms: number; killedAt?: number }[] = [];
    for (const kill of [false, true]) {
      const tenant = await createTenant(deps.db, deps.queue, {
        name: kill ? "Killed" : "Calm",
        slug: kill ? "close-killed" : "close-calm",
      });
      await seedCloseTenant(deps, tenant.id, RECAPS, 120, from);
      await deps.db.execute(drizzleSql`update tenants set recap_schedule_day = 1 where id = ${tenant.id}`);
      const first = await worker();
      await first.waitForLog((line) => line.msg === "worker started", 120_000).catch(() => undefined);
      const started = performance.now();
      const summary = await runQuarterlySchedule(deps);
      if (summary.created !== RECAPS) throw new Error(`the schedule created ${summary.created} of ${RECAPS}`);
      let killedAt: number | undefined;
      if (kill) {
        await waitUntil(async () => (await count(tenant.id)).drafted >= RECAPS / 3, "a third of the drafts");
        first.child.kill("SIGKILL");
        await first.exited;
        killedAt = (await count(tenant.id)).drafted;
        await worker();
      }
      await waitUntil(async () => (await count(tenant.id)).drafted === RECAPS, "every draft", 900_000);
      const ms = performance.now() - started;
      const final = await count(tenant.id);
      if (final.drafting !== 0 || final.events !== RECAPS) {
        throw new Error(`after the close: ${JSON.stringify(final)} (every recap drafted once was expected)`);
      }
      for (const running of workers.splice(0)) await running.dispose();
      runs.push({ ms, ...(killedAt !== undefined ? { killedAt } : {}) });
    }
    const [calm, killed] = runs as [{ ms: number }, { ms: number; killedAt: number }];
    return [
      {
        name: `worker SIGKILLed after ${killed.killedAt} of ${RECAPS} drafts, a new one started: all ${RECAPS} drafted once, none left in drafting`,
        value: Math.round(killed.ms / 100) / 10,
        unit: "s",
        baselineName: "the same close, no kill",
        baselineValue: Math.round(calm.ms / 100) / 10,
        ratio: calm.ms / killed.ms,
        aim: "no recap stuck; the kill costs about a heartbeat (10 s) and a restart",
      },
    ];
  } finally {
    for (const running of workers) await running.dispose();
    await close();
  }
}
