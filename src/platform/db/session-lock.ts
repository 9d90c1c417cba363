import type postgres from "postgres";

/**
 * Runs `work` while this process holds the PostgreSQL advisory lock named `name`, on a connection
 * reserved for it, and answers undefined at once (without running it) when another session holds
 * it. For long runs that a second copy would only repeat (the schedule firing on two workers, or
 * an hour's run still going when the next hour's starts). A session lock, not a transaction:
 * the work commits as it goes; if the connection dies, PostgreSQL releases the lock.
 */
export async function unlessRunningElsewhere<T>(
  sql: postgres.Sql,
  name: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  const connection = await sql.reserve();
  try {
    const [row] = await connection<{ locked: boolean }[]>`
      select pg_try_advisory_lock(hashtextextended(${name}, 0)) as locked`;
    if (!row?.locked) return undefined;
    try {
      return await work();
    } finally {
      await connection`select pg_advisory_unlock(hashtextextended(${name}, 0))`;
    }
  } finally {
    connection.release();
  }
}
