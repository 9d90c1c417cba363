import type { MiddlewareHandler } from "hono";
import { type Logger, withLogContext } from "../logging.js";
import { routeLabel } from "../metrics/http-metrics.js";
import type { AppEnv } from "./app-env.js";

/**
 * One structured line per request, with the request id that error bodies and the X-Request-Id
 * header (set by hono's requestId middleware, which runs first) also carry. Everything logged
 * while the request runs, through any logger, carries the same `requestId` (see withLogContext).
 */
export function requestLogger(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.get("requestId");
    await withLogContext({ requestId }, next);
    const status = c.res.status;
    log[status >= 500 ? "error" : "info"](
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        route: routeLabel(c),
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  };
}
