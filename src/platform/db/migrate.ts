import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../drizzle", import.meta.url));

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_ID = 727_001;

/**
 * Applies the committed drizzle-kit migrations. Several instances may start at once, so the
 * work runs under a PostgreSQL advisory lock on one dedicated connection.
 */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The `created_at` stamp of the newest committed migration, as drizzle records it. */
export function latestMigrationStamp(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((entry) => entry.when));
}

/** True when the database has every committed migration applied. */
export async function migrationsAreCurrent(sql: postgres.Sql): Promise<boolean> {
  const rows = await sql<{ latest: string | null }[]>`
    select max(created_at)::text as latest from drizzle.__drizzle_migrations`;
  return Number(rows[0]?.latest ?? 0) >= latestMigrationStamp();
}
