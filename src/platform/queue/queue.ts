import { sql } from "drizzle-orm";
import {
  fromDrizzle,
  type Db as IDatabase,
  type Job,
  type JobResult,
  PgBoss,
  type Queue,
  type QueueOptions,
} from "pg-boss";
import type postgres from "postgres";
import type { DbExecutor } from "../db/client.js";
import type { Logger } from "../logging.js";

/** A job kind: its queue name, queue policy, and the handler that runs it. Handlers must be idempotent. */
export type JobDefinition<Data extends object> = {
  name: string;
  queue?: QueueOptions;
  /** How many of these jobs one worker process runs at once. */
  concurrency?: number;
  /**
   * How many jobs each of those takes per fetch (one by one, each failing or completing on its
   * own). pg-boss waits its polling interval (2 s) after every fetch that was not full, and a
   * batch of one is never "full": one job per 2 s per slot. With a batch above 1, a worker with a
   * backlog fetches again at once, which is what a burst of thousands of jobs (the quarterly
   * close, a bulk approval) needs.
   */
  batchSize?: number;
  handle(data: Data, job: Job<Data>): Promise<void>;
};

// biome-ignore lint/suspicious/noExplicitAny: a registry holds jobs of every data shape
export type AnyJobDefinition = JobDefinition<any>;

export type EnqueueOptions = {
  /** Enqueue inside this transaction (drizzle, or postgres.js `sql.begin`): the job exists only if it commits. */
  tx?: DbExecutor | postgres.TransactionSql;
  singletonKey?: string;
  startAfter?: Date | number;
  /**
   * Higher runs first (pg-boss fetches by priority, then age); the default is 0. Batch work (the
   * quarterly close) goes below 0 so a job someone is waiting for is not queued behind it.
   */
  priority?: number;
};

/**
 * pg-boss statements run inside our drizzle transaction. postgres.js binds drizzle parameters
 * untyped, so instants pg-boss passes as Date objects are sent as ISO text instead.
 */
function transactionAdapter(tx: DbExecutor | postgres.TransactionSql): IDatabase {
  const plain = (values: unknown[] | undefined) =>
    (values ?? []).map((value) => (value instanceof Date ? value.toISOString() : value));
  if (isPostgresJs(tx)) {
    return { executeSql: async (text, values) => ({ rows: [...(await tx.unsafe(text, plain(values) as never[]))] }) };
  }
  const inner = fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql);
  return { executeSql: (text, values) => inner.executeSql(text, plain(values)) };
}

function isPostgresJs(tx: DbExecutor | postgres.TransactionSql): tx is postgres.TransactionSql {
  return typeof tx === "function" && "unsafe" in tx;
}

export type JobQueue = {
  readonly boss: PgBoss;
  enqueue(name: string, data: object, options?: EnqueueOptions): Promise<string | null>;
  /** Many jobs of one kind in one statement, inside `tx` (a batch's rows and their jobs commit together). */
  enqueueMany(
    name: string,
    jobs: { data: object; priority?: number }[],
    options: Pick<EnqueueOptions, "tx">,
  ): Promise<void>;
  /** Starts pg-boss (installing or upgrading its schema) and creates the queues. */
  start(definitions: AnyJobDefinition[]): Promise<void>;
  /** Starts polling for the given jobs in this process. */
  work(definitions: AnyJobDefinition[]): Promise<void>;
  stop(): Promise<void>;
};

export type JobQueueOptions = {
  /** A short-lived process (a CLI command) only sends: it runs no maintenance and no cron clock. */
  background?: boolean;
  poolSize?: number;
  /**
   * Every queue's jobs heartbeat at half this interval while they run. A job whose heartbeat is
   * older than this (its worker was killed, lost its host or its database connection) is failed
   * and retried by the next supervisor pass, instead of waiting for its expiry (minutes).
   */
  heartbeatSeconds?: number;
  /** How often a background instance looks for such jobs (and does pg-boss's other upkeep). */
  superviseIntervalSeconds?: number;
  /**
   * How long an idle worker waits before it looks for new jobs again (pg-boss's 2 s unless given,
   * at least 0.5 s). Tests shorten it: a chain of jobs then waits less between its steps.
   */
  pollingIntervalSeconds?: number;
};

export const DEFAULT_HEARTBEAT_SECONDS = 30;
export const DEFAULT_SUPERVISE_INTERVAL_SECONDS = 30;

/**
 * pg-boss keeps its own small `pg` pool: it is pg-boss's tested path for LISTEN/NOTIFY and for
 * recovering from a lost connection. Enqueueing inside our transactions goes through drizzle,
 * so a job and the row that needs it commit together.
 */
export function createJobQueue(databaseUrl: string, log: Logger, options: JobQueueOptions = {}): JobQueue {
  const background = options.background ?? true;
  const heartbeatSeconds = options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
  const superviseIntervalSeconds = options.superviseIntervalSeconds ?? DEFAULT_SUPERVISE_INTERVAL_SECONDS;
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: options.poolSize ?? 4,
    schedule: background,
    supervise: background,
    // Expiry and lost heartbeats are checked in the monitor pass, which runs at the slower of the two.
    superviseIntervalSeconds,
    monitorIntervalSeconds: superviseIntervalSeconds,
    application_name: "outcome-recap-queue",
    // A new job wakes the workers of its queue at once (NOTIFY at its commit) instead of at their
    // next poll: a draft starts as the recap is created, a render as it is approved. Polling stays,
    // at its usual interval, for what no notification announces (retries and delayed jobs coming due).
    useListenNotify: true,
  });
  // pg-boss errors carry the whole pg client; the message and code are what an operator needs.
  // A listener must stay: an 'error' event without one would throw and end the process (during a
  // database outage every poll fails, and the service must ride it out).
  boss.on("error", (error: Error & { code?: string }) =>
    log.error({ error: error.message, code: error.code }, "job queue error"),
  );
  let started = false;

  return {
    boss,
    async enqueue(name, data, { tx, singletonKey, startAfter, priority } = {}) {
      return boss.send(name, data, {
        ...(tx ? { db: transactionAdapter(tx) } : {}),
        ...(singletonKey ? { singletonKey } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(startAfter !== undefined ? { startAfter } : {}),
      });
    },
    async enqueueMany(name, jobs, { tx }) {
      if (jobs.length === 0) return;
      await boss.insert(
        name,
        jobs.map(({ data, priority }) => ({ data, ...(priority !== undefined ? { priority } : {}) })),
        tx ? { db: transactionAdapter(tx) } : {},
      );
    },
    async start(definitions) {
      await boss.start();
      started = true;
      for (const definition of definitions) {
        const policy = queuePolicy(definition, heartbeatSeconds);
        await boss.createQueue(definition.name, policy);
        // createQueue leaves an existing queue as it is: bring its settings up to this build's, so a
        // changed retry limit or the heartbeat reaches databases created by an older version.
        await boss.updateQueue(definition.name, policy);
      }
    },
    async work(definitions) {
      // The same interval with notifications on: pg-boss would otherwise relax it to 30 s, and a
      // retry or a delayed job coming due (a webhook's next attempt) announces itself to no one.
      const seconds = options.pollingIntervalSeconds ?? 2;
      const polling = { pollingIntervalSeconds: seconds, notifyPollingIntervalSeconds: seconds };
      const run = async (definition: AnyJobDefinition, job: Job<object>) => {
        const startedAt = performance.now();
        await definition.handle(job.data, job);
        log.debug({ job: definition.name, jobId: job.id, ms: Math.round(performance.now() - startedAt) }, "job done");
      };
      for (const definition of definitions) {
        const batchSize = definition.batchSize ?? 1;
        const localConcurrency = definition.concurrency ?? 1;
        if (batchSize === 1) {
          await boss.work<object>(definition.name, { localConcurrency, batchSize, ...polling }, async (jobs) => {
            for (const job of jobs) await run(definition, job);
          });
          continue;
        }
        await boss.work<object>(
          definition.name,
          { localConcurrency, batchSize, burstWhenBatchFull: true, perJobResults: true, ...polling },
          async (jobs) => {
            const results: JobResult[] = [];
            for (const job of jobs) {
              try {
                await run(definition, job);
                results.push({ id: job.id, status: "completed" });
              } catch (error) {
                // Failed alone, and retried by its queue's policy like a job fetched on its own.
                const message = error instanceof Error ? error.message : String(error);
                log.warn({ job: definition.name, jobId: job.id, error: message }, "job failed");
                results.push({ id: job.id, status: "failed", output: { message } });
              }
            }
            return results;
          },
        );
      }
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

/** A job kind's queue settings, with the service-wide heartbeat unless the kind sets its own. */
function queuePolicy(definition: AnyJobDefinition, heartbeatSeconds: number): Omit<Queue, "name"> {
  return { heartbeatSeconds, notify: true, ...definition.queue };
}
