import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** The peer's address when served over a socket; undefined for in-process requests (tests). */
export function clientAddress(c: Context): string | undefined {
  // Without the adapter's socket (in-process requests) getConnInfo would throw on every call.
  if (!(c.env as { incoming?: unknown } | undefined)?.incoming) return undefined;
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
