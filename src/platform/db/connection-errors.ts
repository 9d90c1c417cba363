import type { Logger } from "../logging.js";

/**
 * Errors that mean "the database cannot be reached right now", not "this request is wrong": the
 * socket errors node raises, the codes postgres.js gives a connection it lost or could not open,
 * and the SQLSTATEs of a server that is shutting down, starting up or out of connections.
 */
const CONNECTION_ERROR_CODES = new Set([
  // node: the server is down, restarting, or the network between us is
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  // postgres.js
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  // SQLSTATE class 08 (connection exception)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  // SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down)
  "57P01",
  "57P02",
  "57P03",
  // SQLSTATE: too_many_connections
  "53300",
]);

/**
 * The connection error's code when the error, or one it wraps (drizzle's DrizzleQueryError keeps the
 * driver's error as `cause`; node's AggregateError lists one per address tried), says the database
 * could not be reached; undefined for every other error.
 */
export function databaseUnavailableCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return code;
  const wrapped = databaseUnavailableCode(cause, depth + 1);
  if (wrapped) return wrapped;
  if (!Array.isArray(errors)) return undefined;
  for (const inner of errors) {
    const found = databaseUnavailableCode(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * postgres.js (3.4.x) fetches array types on every new connection in a promise nobody awaits
 * (porsager/postgres#1192, #1223): when the database goes away during that moment, the rejection
 * is unhandled, and node ends the process. A lost connection is no reason to die (the pools
 * reconnect, requests answer 503 meanwhile), so such a rejection is logged and dropped; any other
 * unhandled rejection still ends the process, as node's default does.
 */
export function survivePostgresConnectionLoss(log: Logger): void {
  process.on("unhandledRejection", (reason) => {
    const code = databaseUnavailableCode(reason);
    if (!code) throw reason;
    log.warn({ code, error: (reason as Error).message }, "a lost database connection was not handled; ignored");
  });
}
