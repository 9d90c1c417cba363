import { type AnyColumn, and, eq, lt, or, type SQL } from "drizzle-orm";

/**
 * The rows after a cursor in a newest-first list ordered by (time, id): older than the cursor's
 * time, or as old with a smaller id, so rows sharing an instant are neither skipped nor repeated.
 * No cursor: no condition (the first page).
 */
export function olderThanCursor(
  time: AnyColumn,
  id: AnyColumn,
  cursor: { at: Date; id: string } | undefined,
): SQL | undefined {
  return cursor ? or(lt(time, cursor.at), and(eq(time, cursor.at), lt(id, cursor.id))) : undefined;
}
