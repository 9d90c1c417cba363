import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import postgres from "postgres";
import { inject } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createDeps, type Deps } from "../../src/deps.js";
import type { Drafter } from "../../src/drafting/drafter.types.js";
import { pooledTemplateDrafting } from "../../src/drafting/drafting-pool.js";
import type { TemplateDrafting } from "../../src/drafting/template-drafting.js";
import { jobDefinitions } from "../../src/jobs.js";
import type { Clock } from "../../src/platform/clock.js";
import { createRenderer } from "../../src/rendering/renderer.js";
import type { Renderer } from "../../src/rendering/rendering.types.js";
import { databaseUrl } from "./database-url.js";

export type TestContext = {
  deps: Deps;
  app: App;
  /** URL of this file's own database. */
  databaseUrl: string;
  /** Starts the job workers in this process (most tests only enqueue). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
};

/** A fresh database for one test file, cloned from the migrated template, and the real deps on it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${inject("templateDatabase")}`);
  return {
    url: databaseUrl(adminUrl, name),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

let sharedPool: Renderer | undefined;

/**
 * One render pool per test process, shared by the files it runs (isolate: false keeps this module
 * between files): a pool's thread loads satori, the rasteriser and the fonts on its first render,
 * about 1.5 s of CPU, more than most files spend rendering. Created on the first render, never by a
 * context's close (its idle thread does not keep the process alive). Tests of the pool itself, or
 * that need a renderer of their own, pass one.
 */
function sharedRenderer(): Renderer {
  return {
    render: (kind, input) => {
      sharedPool ??= createRenderer({ threads: 1 });
      return sharedPool.render(kind, input);
    },
    async close() {},
  };
}

let sharedDraftingPool: TemplateDrafting | undefined;

/**
 * One drafting thread per test process, shared like the render pool: the copy is written and
 * fact-checked off the event loop as in the service, and the thread loads the templates and the
 * language detector once per process rather than once per file.
 */
function sharedTemplateDrafting(): TemplateDrafting {
  return {
    draft: (input, options) => {
      sharedDraftingPool ??= pooledTemplateDrafting({ threads: 1 });
      return sharedDraftingPool.draft(input, options);
    },
    async close() {},
  };
}

export async function createTestContext(
  options: { env?: Record<string, string>; clock?: Clock; drafter?: Drafter; renderer?: Renderer } = {},
): Promise<TestContext> {
  const database = await createTestDatabase();
  const config: Config = loadConfig({ LOG_LEVEL: "silent", DATABASE_URL: database.url, ...options.env });
  const { deps, close } = createDeps(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.drafter ? { drafter: options.drafter } : {}),
    renderer: options.renderer ?? sharedRenderer(),
    templateDrafting: sharedTemplateDrafting(),
    poolSize: 5,
    // pg-boss's shortest poll: a worker that just finished a job picks up the next step sooner.
    queue: { background: false, poolSize: 3, pollingIntervalSeconds: 0.5 },
  });
  await deps.queue.start(jobDefinitions(deps));
  return {
    deps,
    app: createApp(deps),
    databaseUrl: database.url,
    startWorkers: () => deps.queue.work(jobDefinitions(deps)),
    async close() {
      await close();
      await database.drop();
    },
  };
}

/** Serves an app on a free loopback port, for the tests that need a real socket. */
export async function listen(app: App): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
