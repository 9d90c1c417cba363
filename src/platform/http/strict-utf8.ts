import type { MiddlewareHandler } from "hono";
import { ProblemError } from "./problem.js";

const JSON_TYPES = /^application\/(?:[\w.+-]*\+)?(?:json|x-ndjson|ndjson)\b/i;

/**
 * Refuses JSON and NDJSON bodies that are not valid UTF-8. Without it the body parser would turn
 * the bad bytes into U+FFFD and store text the client never sent. Hono caches the body, so the
 * validators that run later read the same bytes without a second read of the stream.
 */
export function strictUtf8(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (c.req.raw.body && JSON_TYPES.test(type)) {
      const bytes = await c.req.arrayBuffer();
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        throw new ProblemError({ status: 400, code: "invalid_json", detail: "The body is not valid UTF-8." });
      }
    }
    await next();
  };
}
