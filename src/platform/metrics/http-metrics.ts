import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { PROBLEM_TITLES } from "../http/problem.js";
import type { Metrics } from "./metrics.js";

/** The route label of requests no endpoint matched (404, 405): one series, whatever the path. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * The pattern an endpoint was registered with (`/v1/recaps/:id`), never the path: ids and share
 * codes in a label would make a series per recap. When a middleware answered for the endpoint
 * (401 from auth, 413 from the body limit), the endpoint it guarded is named.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  const current = routes[c.req.routeIndex];
  if (current && current.method !== "ALL") return current.path;
  return routes.find((route) => route.method !== "ALL")?.path ?? UNMATCHED_ROUTE;
}

/**
 * Times every request and counts problem+json answers by code. Registered before every other
 * middleware and route (the share redirect included), so the time covers them all.
 */
export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } catch (error) {
      metrics.observeRequest({ method: c.req.method, route: routeLabel(c), status: 500, seconds: elapsed(started) });
      throw error;
    }
    const status = c.res.status;
    metrics.observeRequest({ method: c.req.method, route: routeLabel(c), status, seconds: elapsed(started) });
    // Problems are 4xx/5xx; reading c.res.headers on every 302 would build a Headers object per redirect.
    if (status >= 400 && c.res.headers.get("content-type")?.startsWith("application/problem+json")) {
      metrics.countProblem({ code: await problemCode(c.res), status });
    }
  };
}

const elapsed = (started: number) => (performance.now() - started) / 1000;

/** The problem's stable `code`, read from a copy of the (small) body; any other value counts as "unknown". */
async function problemCode(response: Response): Promise<string> {
  try {
    const body = (await response.clone().json()) as { code?: unknown };
    return typeof body.code === "string" && Object.hasOwn(PROBLEM_TITLES, body.code) ? body.code : "unknown";
  } catch {
    return "unknown";
  }
}
