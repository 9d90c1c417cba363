import { type AnyColumn, and, eq, lt, or, type SQL } from "drizzle-orm";
import { validationFailed } from "../errors.js";

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

/** The opaque `next` of a newest-first page: the last row's time and id. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

/** Reads a cursor `encodeCursor` gave out; anything else is the client's mistake (400, naming query.cursor). */
export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw validationFailed([{ path: "query.cursor", message: "is not a cursor this API gave out" }]);
  }
  return { at: date, id };
}
