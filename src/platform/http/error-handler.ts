import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { databaseUnavailableCode } from "../db/connection-errors.js";
import type { Logger } from "../logging.js";
import type { AppEnv } from "./app-env.js";
import { unsupportedMediaTypeDetail } from "./body-media-types.js";
import { problemOf, problemResponse } from "./problem.js";

/** Every error leaves as problem+json; a 500 says nothing about what went wrong inside. */
export function createErrorHandler(log: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    const problem = problemOf(error);
    if (problem) return problemResponse(c, problem);
    if (error instanceof HTTPException) return problemResponse(c, fromHttpException(error, c.get("bodyMediaTypes")));
    if (isUnparsableForm(error)) {
      return problemResponse(c, {
        status: 400,
        code: "validation_failed",
        detail: "The form body could not be parsed (a multipart body without its boundary, say).",
        errors: [{ path: "(body)", message: "is not a well-formed form body" }],
      });
    }
    if (isUnstorableText(error)) {
      return problemResponse(c, {
        status: 400,
        code: "validation_failed",
        detail: "A value holds a character that cannot be stored: NUL (U+0000) or half a surrogate pair.",
        errors: [{ path: "(request)", message: "must not contain NUL (U+0000) or unpaired surrogates" }],
      });
    }
    const connectionCode = databaseUnavailableCode(error);
    if (connectionCode) {
      // Only the code: a failed query's text and parameters (a key's hash, say) stay out of the log.
      log.warn({ code: connectionCode, requestId: c.get("requestId"), path: c.req.path }, "database unavailable");
      return problemResponse(c, {
        status: 503,
        code: "service_unavailable",
        detail: "The database cannot be reached. Try again shortly.",
        headers: { "retry-after": "5" },
      });
    }
    log.error({ err: error, requestId: c.get("requestId"), path: c.req.path }, "unhandled error");
    return problemResponse(c, {
      status: 500,
      code: "internal_error",
      detail: "Something went wrong on our side. Quote the request id when you report it.",
    });
  };
}

function fromHttpException(error: HTTPException, bodyMediaTypes: readonly string[] | undefined) {
  switch (error.status) {
    case 400:
      return { status: 400, code: "invalid_json", detail: error.message || "The body could not be parsed." } as const;
    case 413:
      return { status: 413, code: "payload_too_large", detail: error.message } as const;
    case 415:
      return {
        status: 415,
        code: "unsupported_media_type",
        detail: unsupportedMediaTypeDetail(bodyMediaTypes),
      } as const;
    case 401:
      return { status: 401, code: "unauthorized", detail: error.message } as const;
    default:
      return {
        status: error.status,
        code: error.status >= 500 ? "internal_error" : "conflict",
        detail: error.message,
      } as const;
  }
}

/** A form body the runtime could not parse (`c.req.parseBody()` on broken multipart): the caller's fault. */
function isUnparsableForm(error: unknown): boolean {
  return error instanceof TypeError && /parse body as FormData/i.test(error.message);
}

/**
 * PostgreSQL refuses text it cannot hold, whatever column or query it is in: a NUL byte in text
 * ("invalid byte sequence for encoding UTF8: 0x00", 22021), `\u0000` in JSON cast to jsonb
 * ("unsupported Unicode escape sequence", 22P05), and an unpaired surrogate, which JSON.stringify
 * writes as `\ud800` and jsonb refuses ("invalid input syntax for type json", 22P02). Only a
 * caller's data carries these, so they are the caller's 400, not our 500; the statement failed, so
 * it wrote nothing.
 */
const UNSTORABLE_TEXT_CODES = new Set(["22021", "22P05"]);

function isUnstorableText(error: unknown): boolean {
  type Coded = { code?: unknown; message?: unknown };
  const outer = error as (Coded & { cause?: Coded }) | undefined;
  return [outer, outer?.cause].some(
    (e) =>
      UNSTORABLE_TEXT_CODES.has(String(e?.code)) ||
      (e?.code === "22P02" && /input syntax for type jsonb?\b/.test(String(e?.message))),
  );
}

type RouteShape = { method: string; path: string };

/**
 * 404 for paths nothing serves, 405 with an Allow header when the path exists under other
 * methods (Hono itself only knows "no match").
 */
export function createNotFoundHandler(routes: () => readonly RouteShape[]): NotFoundHandler<AppEnv> {
  let patterns: { method: string; regex: RegExp }[] | undefined;
  return (c: Context<AppEnv>) => {
    patterns ??= routes()
      .filter((route) => route.method !== "ALL" && !route.path.includes("*"))
      .map((route) => ({
        method: route.method,
        regex: new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+").replace(/\/$/, "")}/?$`),
      }));
    const allowed = [...new Set(patterns.filter((pattern) => pattern.regex.test(c.req.path)).map((p) => p.method))];
    if (allowed.includes("GET")) allowed.push("HEAD");
    // A route with this method matched the path's shape but not its parameter pattern
    // (`/assets/:file{[0-9a-f]{64}\.png}`): the thing asked for does not exist.
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      return problemResponse(c, {
        status: 405,
        code: "method_not_allowed",
        detail: `${c.req.method} is not allowed here. Allowed: ${allowed.join(", ")}.`,
        headers: { allow: allowed.join(", ") },
      });
    }
    return problemResponse(c, {
      status: 404,
      code: "not_found",
      detail: `Nothing is served at ${c.req.path}.`,
    });
  };
}
