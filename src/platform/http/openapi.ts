import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "./app-env.js";
import { type FieldError, PROBLEM_TITLES, problemResponse } from "./problem.js";

type ZodIssueLike = { path: PropertyKey[]; message: string; code?: string; keys?: string[] };

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === "number") return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, "");
}

/** zod issues as `{path, message}` pairs; an unknown field is reported at its own path. */
export function toFieldErrors(issues: readonly ZodIssueLike[], prefix: PropertyKey[] = []): FieldError[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys" && issue.keys
      ? issue.keys.map((key) => ({
          path: formatPath([...prefix, ...issue.path, key]),
          message: "is not a known field",
        }))
      : [{ path: formatPath([...prefix, ...issue.path]) || "(body)", message: issue.message }],
  );
}

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
  })
  .openapi("Problem");

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid JSON or invalid fields (each listed in `errors`)",
  401: "Missing, unknown or revoked API key",
  403: "The API key lacks the scope this operation needs",
  404: "Not found, or owned by another tenant",
  409: "Conflicts with the current state, or the same Idempotency-Key is still in flight",
  412: "The If-Match version is stale",
  413: "The body is larger than the limit",
  415: "The body is not JSON",
  422: "The Idempotency-Key was used with a different request",
  429: "Rate limited; see Retry-After",
  503: "The database is unreachable; retry later",
};

/** The shared error responses of a route, as problem+json. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_DESCRIPTIONS[status] ?? "Error",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    ]),
  );
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
