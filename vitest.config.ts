import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    globalSetup: ["tests/support/global-setup.ts"],
    // One PostgreSQL serves the run; each test file gets its own database cloned from a template.
    pool: "forks",
    // Most of a file's time is waiting (on PostgreSQL, job polls, spawned processes, Chromium), so
    // three files at a time keep two cores busy (measured from a fresh clone: 3 workers 451 s, 4 workers
    // 457 s and more contention); vitest's default on two cores is one at a time.
    maxWorkers: 3,
    // A worker keeps its imported modules from one file to the next instead of loading the app
    // (drizzle, pg-boss, the renderer, ...) again for each of ~70 files. Every file still builds its
    // own state: its own database, deps and app from createTestContext.
    isolate: false,
    // Files share two cores three at a time, so one test can take longer than it would alone.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Hard-to-read output in CI is a failure of its own: name every test.
    reporters: process.env.CI ? ["verbose"] : ["default"],
  },
});
