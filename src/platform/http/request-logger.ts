import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logging.js";
import type { AppEnv } from "./app-env.js";

/** One structured line per request, with the request id that error bodies also carry. */
export function requestLogger(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    log[status >= 500 ? "error" : "info"](
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  };
}
