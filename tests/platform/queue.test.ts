import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/platform/logging.js";
import { createJobQueue, DEFAULT_HEARTBEAT_SECONDS } from "../../src/platform/queue/queue.js";
import { tenants } from "../../src/platform/tenancy/tenancy.schema.js";
import { createTenant, TENANT_PROVISION_JOB } from "../../src/platform/tenancy/tenants.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
const runs: string[] = [];
const JOB = "test.record";

beforeAll(async () => {
  t = await createTestContext();
  const definition = {
    name: JOB,
    async handle(data: { marker: string }) {
      runs.push(data.marker);
    },
  };
  await t.deps.queue.start([definition]);
  await t.deps.queue.work([definition]);
  await t.startWorkers();
});
afterAll(() => t.close());

async function jobStates(marker: string) {
  return t.deps.sql<{ state: string }[]>`
    select state from pgboss.job where name = ${JOB} and data->>'marker' = ${marker}`;
}

describe("jobs enqueued in a transaction", () => {
  it("run exactly once when the transaction commits", async () => {
    await t.deps.db.transaction(async (tx) => {
      await tx.execute("select 1");
      await t.deps.queue.enqueue(JOB, { marker: "committed" }, { tx });
    });
    await expect.poll(() => runs.filter((m) => m === "committed").length, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await jobStates("committed")).map((row) => row.state)).toEqual(["completed"]);
  });

  it("never exist when the transaction rolls back", async () => {
    await expect(
      t.deps.db.transaction(async (tx) => {
        await t.deps.queue.enqueue(JOB, { marker: "rolled-back" }, { tx });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    // A later committed job has run, so the worker has had its chance at the rolled-back one.
    await t.deps.db.transaction((tx) => t.deps.queue.enqueue(JOB, { marker: "after" }, { tx }));
    await expect.poll(() => runs.includes("after"), { timeout: 15_000 }).toBe(true);
    expect(runs).not.toContain("rolled-back");
    expect(await jobStates("rolled-back")).toEqual([]);
  });

  it("provision a new tenant through the real provisioning job", async () => {
    const tenant = await createTenant(t.deps.db, t.deps.queue, { name: "Job Co", slug: "job-co" });
    await expect
      .poll(async () => (await t.deps.db.select().from(tenants).where(eq(tenants.id, tenant.id)))[0]?.provisionedAt, {
        timeout: 15_000,
      })
      .toBeInstanceOf(Date);
    // The handler's write commits before pg-boss marks the job completed: wait for that too.
    await expect
      .poll(
        async () =>
          (await t.deps.sql`select state from pgboss.job where name = ${TENANT_PROVISION_JOB}`).map((job) => job.state),
        { timeout: 15_000 },
      )
      .toEqual(["completed"]);
  });

  it("leave no tenant and no job when creating a duplicate slug fails", async () => {
    await expect(createTenant(t.deps.db, t.deps.queue, { name: "Again", slug: "job-co" })).rejects.toThrow(
      /already exists/,
    );
    const jobs = await t.deps.sql`select 1 from pgboss.job where name = ${TENANT_PROVISION_JOB}`;
    expect(jobs.length).toBe(1);
  });
});

describe("queue settings", () => {
  it("give every queue the heartbeat, and bring an existing queue up to the settings of the process that starts", async () => {
    const name = "test.settings";
    const settingsOf = async () => {
      const [row] = await t.deps.sql<{ heartbeat_seconds: number | null; retry_limit: number }[]>`
        select heartbeat_seconds, retry_limit from pgboss.queue where name = ${name}`;
      return row;
    };
    const older = createJobQueue(t.databaseUrl, createLogger("silent"), { background: false, poolSize: 1 });
    await older.start([{ name, queue: { retryLimit: 1 }, async handle() {} }]);
    await older.stop();
    expect(await settingsOf()).toEqual({ heartbeat_seconds: DEFAULT_HEARTBEAT_SECONDS, retry_limit: 1 });

    const newer = createJobQueue(t.databaseUrl, createLogger("silent"), {
      background: false,
      poolSize: 1,
      heartbeatSeconds: 10,
    });
    await newer.start([{ name, queue: { retryLimit: 4 }, async handle() {} }]);
    await newer.stop();
    expect(await settingsOf()).toEqual({ heartbeat_seconds: 10, retry_limit: 4 });
  });
});

describe("waking workers", () => {
  it("starts a new job at once, not at the worker's next poll: the job's commit notifies its queue", async () => {
    const name = "test.woken";
    const ran: string[] = [];
    // A worker that polls once a minute: only the notification can bring it the job within the test's time.
    const queue = createJobQueue(t.databaseUrl, createLogger("silent"), {
      background: false,
      poolSize: 2,
      pollingIntervalSeconds: 60,
    });
    const definition = {
      name,
      async handle(data: { marker: string }) {
        ran.push(data.marker);
      },
    };
    try {
      await queue.start([definition]);
      await queue.work([definition]);
      await t.deps.db.transaction((tx) => queue.enqueue(name, { marker: "woken" }, { tx }));
      await expect.poll(() => ran, { timeout: 20_000, interval: 50 }).toEqual(["woken"]);
      const [row] = await t.deps.sql<{ notify: boolean }[]>`select notify from pgboss.queue where name = ${name}`;
      expect(row?.notify).toBe(true);
    } finally {
      await queue.stop();
    }
  });
});
