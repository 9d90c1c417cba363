import type { Server } from "node:http";
import { serve } from "@hono/node-server";

export type HttpTimeouts = {
  /** How long a client may take to send the request line and headers. */
  headersTimeoutMs: number;
  /** How long a client may take to send the whole request, body included. */
  requestTimeoutMs: number;
};

/**
 * Node checks the two time-outs only every `connectionsCheckingInterval` (30 s by default), so a
 * 10 s limit could hold a socket for 40 s. Checking a few times per time-out keeps the limit close
 * to what is configured; the check walks the open connections and costs little.
 */
export function connectionsCheckingInterval(timeouts: HttpTimeouts): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs) / 4)));
}

/**
 * Serves a fetch handler over HTTP/1.1 with time-outs on receiving the request, so a client that
 * trickles its headers or body (a byte every few seconds) is answered 408 and disconnected instead
 * of holding a socket and a request for minutes.
 */
export function serveHttpApp(
  fetch: (request: Request) => Response | Promise<Response>,
  options: { port: number; hostname: string; timeouts: HttpTimeouts },
  onListening?: (info: { port: number }) => void,
): Server {
  return serve(
    {
      fetch,
      port: options.port,
      hostname: options.hostname,
      serverOptions: {
        headersTimeout: options.timeouts.headersTimeoutMs,
        requestTimeout: options.timeouts.requestTimeoutMs,
        connectionsCheckingInterval: connectionsCheckingInterval(options.timeouts),
      },
    },
    onListening,
  ) as Server;
}
