import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, Hono } from "hono";
import type { Config } from "../../config.js";
import type { AppEnv } from "../http/app-env.js";
import { clientAddress } from "../http/client-address.js";
import { type ProblemInit, problemResponse } from "../http/problem.js";
import type { PlatformDeps } from "../platform-deps.js";

/**
 * `GET /metrics`, the Prometheus text format. Not in the OpenAPI document: it is for the operator's
 * scraper, not for tenants. With METRICS_TOKEN set it takes `Authorization: Bearer <token>` from
 * anywhere; without it, only callers on this machine that did not come through a proxy (see
 * docs/observability.md for why).
 */
export function registerMetricsRoute(app: Hono<AppEnv>, deps: Pick<PlatformDeps, "config" | "metrics">) {
  app.get("/metrics", async (c) => {
    const refused = refusal(c, deps.config);
    if (refused) return problemResponse(c, refused);
    const { registry } = deps.metrics;
    return c.body(await registry.metrics(), 200, { "content-type": registry.contentType, "cache-control": "no-store" });
  });
}

/** Headers a reverse proxy adds: a request carrying one came from somewhere else, whatever the socket says. */
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"];

function refusal(c: Context, config: Config): ProblemInit | null {
  const token = config.metricsToken;
  if (token) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (match?.[1] && sameSecret(match[1], token)) return null;
    return {
      status: 401,
      code: "unauthorized",
      detail: "Send the metrics token (METRICS_TOKEN) as `Authorization: Bearer <token>`.",
      headers: { "www-authenticate": 'Bearer realm="metrics"' },
    };
  }
  const proxied = [...PROXY_HEADERS, config.sharing.clientIpHeader].some((name) => name && c.req.header(name));
  if (!proxied && isLoopback(clientAddress(c))) return null;
  return {
    status: 403,
    code: "forbidden",
    detail: "Without METRICS_TOKEN, /metrics answers only direct requests from this machine. Set METRICS_TOKEN.",
  };
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** Constant time whatever the lengths: both sides are hashed first. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
