import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.js";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle, or the database itself: use cases accept either. */
export type DbExecutor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export type DatabaseClient = {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
};

export function createDatabaseClient(url: string, options: { poolSize?: number } = {}): DatabaseClient {
  const sql = postgres(url, {
    max: options.poolSize ?? 10,
    // Notices (e.g. "relation already exists, skipping") are not errors worth a log line.
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 60,
  });
  const db = drizzle(sql, { schema });
  return {
    db,
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}
