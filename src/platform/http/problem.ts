import type { Context } from "hono";
import { AppError, type AppErrorCode, type FieldError } from "../errors.js";

export type { FieldError } from "../errors.js";

/** The stable problem codes the API answers with; `type` is `/problems/<code>`. */
export const PROBLEM_TITLES = {
  invalid_json: "The body is not valid JSON",
  validation_failed: "The request has invalid fields",
  unauthorized: "Authentication is required",
  insufficient_scope: "The API key lacks a required scope",
  csrf_failed: "The form's security token is missing or stale",
  not_found: "Not found",
  gone: "This is no longer available",
  not_rendered: "The asset has not been rendered yet",
  assets_not_rendered: "The recap's cards and PDF could not be rendered",
  undrawable_name: "A name has characters the recap cards cannot draw",
  method_not_allowed: "Method not allowed",
  conflict: "The request conflicts with the current state",
  illegal_transition: "The recap cannot do that in its current state",
  forbidden: "Your role may not do this",
  precondition_failed: "The resource changed since you loaded it",
  precondition_required: "This change needs an If-Match header",
  fact_check_failed: "A number in the copy matches no fact",
  hidden_facts_changed: "These are not the numbers hidden now",
  copy_updating: "The copy is being re-drafted without the hidden numbers",
  hidden_fact_shown: "The copy shows a number the customer hid",
  insufficient_data: "There is not enough usage for a recap",
  idempotency_key_reused: "The Idempotency-Key was used with a different request",
  idempotency_request_in_progress: "A request with this Idempotency-Key is still running",
  secret_already_shown: "The secret was shown once and is not stored",
  payload_too_large: "The body is too large",
  unsupported_media_type: "Unsupported content type",
  rate_limited: "Too many requests",
  internal_error: "Internal server error",
  service_unavailable: "The service is temporarily unavailable",
} as const;

export type ProblemCode = keyof typeof PROBLEM_TITLES;

export type ProblemInit = {
  status: number;
  code: ProblemCode;
  detail?: string;
  /** Per-field errors for validation problems. */
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Further members of the problem object (RFC 9457 extension members). */
  extensions?: Record<string, unknown>;
};

/**
 * Thrown by the HTTP edge (routes, middleware) for what only HTTP has: a status and headers. The
 * core throws AppError (platform/errors.ts), which problemOf maps below.
 */
export class ProblemError extends Error {
  constructor(readonly init: ProblemInit) {
    super(init.detail ?? PROBLEM_TITLES[init.code]);
    this.name = "ProblemError";
  }
}

export const notFound = (detail = "The resource does not exist or belongs to another tenant.") =>
  new ProblemError({ status: 404, code: "not_found", detail });

export const conflict = (detail: string, extensions?: Record<string, unknown>) =>
  new ProblemError({ status: 409, code: "conflict", detail, ...(extensions ? { extensions } : {}) });

export const validationFailed = (errors: FieldError[], detail?: string) =>
  new ProblemError({
    status: 400,
    code: "validation_failed",
    detail: detail ?? `${errors.length} field${errors.length === 1 ? " is" : "s are"} invalid.`,
    errors,
  });

export function problemBody(init: ProblemInit, instance: string, requestId: string | undefined) {
  return {
    type: `/problems/${init.code}`,
    title: PROBLEM_TITLES[init.code],
    status: init.status,
    ...(init.detail ? { detail: init.detail } : {}),
    instance,
    code: init.code,
    ...(requestId ? { requestId } : {}),
    ...(init.errors ? { errors: init.errors } : {}),
    ...init.extensions,
  };
}

export function problemResponse(c: Context, init: ProblemInit): Response {
  const body = problemBody(init, new URL(c.req.url).pathname, c.get("requestId"));
  // c.body keeps headers set earlier in the request (the request id among them).
  return c.body(JSON.stringify(body), init.status as 400, {
    ...init.headers,
    "content-type": "application/problem+json",
  });
}

/**
 * The one map from application error codes to HTTP: a status, and the problem code when it is
 * not the same word (an unknown reference is a 422 validation problem).
 */
const HTTP_FOR_CODE: {
  [C in AppErrorCode]: { status: number } & (C extends ProblemCode ? { code?: ProblemCode } : { code: ProblemCode });
} = {
  validation_failed: { status: 400 },
  unknown_reference: { status: 422, code: "validation_failed" },
  invalid_json: { status: 400 },
  not_found: { status: 404 },
  conflict: { status: 409 },
  illegal_transition: { status: 409 },
  forbidden: { status: 403 },
  precondition_failed: { status: 412 },
  fact_check_failed: { status: 409 },
  hidden_facts_changed: { status: 409 },
  copy_updating: { status: 409 },
  hidden_fact_shown: { status: 409 },
  insufficient_data: { status: 422 },
  undrawable_name: { status: 422 },
  assets_not_rendered: { status: 409 },
};

/** The problem an application error becomes at the HTTP edge. */
export function problemForAppError(error: AppError): ProblemInit {
  const http = HTTP_FOR_CODE[error.code];
  return {
    status: http.status,
    code: ("code" in http && http.code) || (error.code as ProblemCode),
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.details ? { extensions: error.details } : {}),
  };
}

/** The problem an error stands for, when it is one (an edge ProblemError or an AppError); else null. */
export function problemOf(error: unknown): ProblemInit | null {
  if (error instanceof ProblemError) return error.init;
  if (error instanceof AppError) return problemForAppError(error);
  return null;
}
