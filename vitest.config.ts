import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    globalSetup: ["tests/support/global-setup.ts"],
    // One PostgreSQL serves the run; each test file gets its own database cloned from a template.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Hard-to-read output in CI is a failure of its own: name every test.
    reporters: process.env.CI ? ["verbose"] : ["default"],
  },
});
