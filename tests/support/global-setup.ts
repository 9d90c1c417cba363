import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { type EmbeddedDatabase, startEmbeddedPostgres } from "../../src/platform/db/embedded-postgres.js";
import { runMigrations } from "../../src/platform/db/migrate.js";
import { createLogger } from "../../src/platform/logging.js";
import { createJobQueue } from "../../src/platform/queue/queue.js";
import { databaseUrl } from "./database-url.js";

export const TEMPLATE_DATABASE = "outcome_recap_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL when given, otherwise an embedded
 * server in a temporary folder. A template database is migrated once (our tables and pg-boss's),
 * and each test file clones it, which takes milliseconds instead of a migration per file.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), "outcome-recap-test-"));
    embedded = await startEmbeddedPostgres(dataDir, { persistent: false });
    adminUrl = embedded.url;
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
  await admin.unsafe(`create database ${TEMPLATE_DATABASE}`);
  const templateUrl = databaseUrl(adminUrl, TEMPLATE_DATABASE);
  await runMigrations(templateUrl);
  const queue = createJobQueue(templateUrl, createLogger("silent"), { background: false });
  await queue.start([]);
  await queue.stop();
  await admin.end();

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", TEMPLATE_DATABASE);

  return async () => {
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
