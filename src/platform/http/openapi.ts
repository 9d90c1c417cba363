import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { toFieldErrors, type ZodIssueLike } from "../errors.js";
import type { AppEnv } from "./app-env.js";
import { PROBLEM_TITLES, problemResponse } from "./problem.js";

export { formatPath, toFieldErrors } from "../errors.js";

/** The validation hook every OpenAPIHono instance shares: a bad request becomes one problem+json. */
export function validationHook(
  result: { success: true } | { success: false; error: { issues: readonly ZodIssueLike[] }; target?: string },
  c: Context<AppEnv>,
) {
  if (result.success) return;
  const target = result.target;
  const errors = toFieldErrors(result.error.issues, target && target !== "json" ? [target] : []);
  return problemResponse(c, {
    status: 400,
    code: "validation_failed",
    detail: `${errors.length} field${errors.length === 1 ? " is" : "s are"} invalid.`,
    errors,
  });
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation_failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
    code: z.enum(Object.keys(PROBLEM_TITLES) as [keyof typeof PROBLEM_TITLES]),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    violatedPolicies: z
      .array(z.string())
      .optional()
      .describe("On 429: the rate-limit policies the request exceeded, as named in the RateLimit field."),
  })
  .openapi("Problem");

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid JSON or invalid fields (each listed in `errors`)",
  401: "Missing, unknown or revoked API key",
  403: "The API key lacks the scope this operation needs",
  404: "Not found, or owned by another tenant",
  409: "Conflicts with the current state, the same Idempotency-Key is still in flight, or its response showed a secret that is not replayed",
  412: "The If-Match version is stale",
  413:
    "The body is larger than the limit: 1 MiB by default (`BODY_LIMIT_BYTES`); event batches on " +
    "`POST /v1/events` may take 16 MiB (`EVENTS_BODY_LIMIT_BYTES`)",
  415: "The body is not JSON",
  422: "The Idempotency-Key was used with a different request",
  429:
    "Rate limited: this API key has used its allowance; wait `Retry-After` seconds. Every operation spends the " +
    'key\'s "default" policy; generateRecap and requestRedraft also spend the stricter "expensive" one',
  503: "The database is unreachable; retry later",
};

/** The fields every rate-limited answer carries (draft-ietf-httpapi-ratelimit-headers-11). */
const RATE_LIMIT_HEADERS = {
  "RateLimit-Policy": {
    description:
      'The quota policies this operation spends, e.g. `"default";q=1200;w=60`: a burst of `q` requests that ' +
      "refills in `w` seconds (draft-ietf-httpapi-ratelimit-headers-11). Sent on every rate-limited answer.",
    schema: { type: "string" },
  },
  RateLimit: {
    description:
      'What is left, e.g. `"default";r=1199;t=1`: `r` requests may be sent now, and the whole burst is back ' +
      "within `t` seconds (on a 429, `r=0` and `t` equals Retry-After). Sent on every rate-limited answer.",
    schema: { type: "string" },
  },
} as const;

const RETRY_AFTER_HEADER = {
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
} as const;

/** One problem+json response, optionally with its own description (one naming a configured limit, say). */
export function problemResponseDoc(status: number, description = ERROR_DESCRIPTIONS[status] ?? "Error") {
  const headers = status === 429 ? { ...RETRY_AFTER_HEADER, ...RATE_LIMIT_HEADERS } : RETRY_AFTER_HEADER;
  return {
    description,
    ...(status === 429 || status === 503 ? { headers } : {}),
    content: { "application/problem+json": { schema: ProblemSchema } },
  };
}

/**
 * The shared error responses of a route, as problem+json. An authenticated operation (one that
 * lists 401) can always answer 413 too (the body limit covers every request) and 429 (the per-key
 * rate limit covers every /v1 request), so both are added to it.
 */
export function problemResponses(...statuses: number[]) {
  const all = statuses.includes(401) ? [...new Set([...statuses, 413, 429])].sort((a, b) => a - b) : statuses;
  return Object.fromEntries(all.map((status) => [status, problemResponseDoc(status)]));
}

/** A required JSON request body (without `required`, a body sent as text/plain would skip validation). */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { "application/json": { schema } },
  } as const;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** A newest-first list's query: the previous page's `next` and a page size (see platform/db/keyset.ts). */
export const PAGE_QUERY = {
  cursor: z.string().max(200).optional().describe("The previous page's `next`"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
};
