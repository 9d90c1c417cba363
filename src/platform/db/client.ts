import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

/** No relational schema: queries name their tables, which each feature owns in its *.schema.ts. */
export type Database = PostgresJsDatabase;
/** A transaction handle, or the database itself: use cases accept either. */
export type DbExecutor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export type DatabaseClient = {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
};

/**
 * How long a connection that failed waits before it connects again, by failures in a row.
 * postgres.js's default grows to 20 s (3^n / 100): after a database restart, requests would
 * wait that long for a connection, answering 503 slowly while it is down and recovering late once
 * it is back. Capped at 2 s here; a connection is only opened when a query needs one, so a down
 * database sees no more than a few attempts a second per instance.
 */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.1 * 2 ** failures, 2) * (0.5 + Math.random() / 2);
}

export function createDatabaseClient(url: string, options: { poolSize?: number } = {}): DatabaseClient {
  const sql = postgres(url, {
    max: options.poolSize ?? 10,
    // Notices (e.g. "relation already exists, skipping") are not errors worth a log line.
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 60,
    backoff: reconnectDelaySeconds,
  });
  const db = drizzle(sql);
  return {
    db,
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}
