import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApp } from "../../src/app.js";
import { migrationsAreCurrent, runMigrations } from "../../src/platform/db/migrate.js";
import { databaseUrl } from "../support/database-url.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

const name = `empty_${Date.now().toString(36)}`;
let admin: postgres.Sql;
let url: string;

beforeAll(async () => {
  admin = postgres(inject("adminDatabaseUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  url = databaseUrl(inject("adminDatabaseUrl"), name);
});
afterAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe("migrations", () => {
  it("build the whole schema on an empty database, and a second run changes nothing", async () => {
    await runMigrations(url);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const tables = await sql<{ table_name: string }[]>`
        select table_name from information_schema.tables where table_schema = 'public' order by 1`;
      expect(tables.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(["api_keys", "idempotency_keys", "login_failures", "sessions", "tenants", "users"]),
      );
      expect(await migrationsAreCurrent(sql)).toBe(true);
      const [before] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await runMigrations(url);
      const [after] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(after?.n).toBe(before?.n);
    } finally {
      await sql.end();
    }
  });

  it("run safely from several processes at once", async () => {
    await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
  });
});

describe("readiness without migrations", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  it("reports 503 when the database lacks a migration this build needs", async () => {
    await t.deps.sql`delete from drizzle.__drizzle_migrations`;
    const response = await call(createApp(t.deps), "GET", "/readyz");
    const problem = expectProblem(response, 503, "service_unavailable");
    expect(problem.checks).toEqual({ database: "ok", migrations: "pending migrations", queue: "ok" });
  });
});
