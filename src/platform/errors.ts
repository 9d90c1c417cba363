/**
 * The application's errors, without a transport: a stable code, words for a person, and details.
 * Use cases and jobs throw these; the HTTP edge (platform/http/problem.ts) alone turns a code into
 * a status and a problem+json body, and jobs and the CLI decide what to do by code.
 */
export type AppErrorCode =
  /** The input has invalid fields (`errors` lists them). */
  | "validation_failed"
  /** The input names something of this tenant that does not exist (a share link's ref, say). */
  | "unknown_reference"
  /** A body that is not JSON (NDJSON lines, say). */
  | "invalid_json"
  | "not_found"
  | "conflict"
  /** The recap's state machine refuses the action from the current state. */
  | "illegal_transition"
  /** The actor's role may not take the action. */
  | "forbidden"
  /** The caller saw an older version than the current one (optimistic concurrency). */
  | "precondition_failed"
  | "fact_check_failed"
  | "hidden_facts_changed"
  | "copy_updating"
  | "hidden_fact_shown"
  | "insufficient_data"
  | "undrawable_name"
  | "assets_not_rendered";

export type FieldError = { path: string; message: string };

export type AppErrorOptions = {
  /** Per-field errors, for validation. */
  errors?: FieldError[];
  /** Further facts about the error a caller may act on (the current version, say). */
  details?: Record<string, unknown>;
};

export class AppError extends Error {
  /** The words for a person, when there are any beyond what the code says. */
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: AppErrorCode,
    detail?: string,
    options: AppErrorOptions = {},
  ) {
    super(detail ?? code);
    this.name = "AppError";
    this.detail = detail;
    this.errors = options.errors;
    this.details = options.details;
  }
}

/** True when `error` is an application error with one of `codes` (any code when none are given). */
export function isAppError(error: unknown, ...codes: AppErrorCode[]): error is AppError {
  return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
}

export const notFound = (detail = "The resource does not exist or belongs to another tenant.") =>
  new AppError("not_found", detail);

export const conflict = (detail: string, details?: Record<string, unknown>) =>
  new AppError("conflict", detail, details ? { details } : {});

export const validationFailed = (errors: FieldError[], detail?: string) =>
  new AppError(
    "validation_failed",
    detail ?? `${errors.length} field${errors.length === 1 ? " is" : "s are"} invalid.`,
    {
      errors,
    },
  );

export type ZodIssueLike = { path: PropertyKey[]; message: string; code?: string; keys?: string[] };

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
