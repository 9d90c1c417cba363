import type postgres from "postgres";

/**
 * Resolves once no job of these kinds is waiting to run (however far ahead it was scheduled),
 * running or waiting for a retry: whatever they were going to do is done. A test that checks something did *not* happen waits for this
 * instead of a fixed pause, which is both shorter and certain to have seen the job run.
 */
export async function jobsSettled(sql: postgres.Sql, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await sql<{ open: number }[]>`
      select count(*)::int as open from pgboss.job
      where name = any(${names}) and state in ('created', 'retry', 'active')`;
    if (row?.open === 0) return;
    if (Date.now() > deadline) throw new Error(`jobs ${names.join(", ")} still open after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
