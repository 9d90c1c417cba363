import type { components } from "./api.gen.js";

/** The RFC 9457 problem every error of the service carries (`application/problem+json`). */
export type Problem = components["schemas"]["Problem"];

/** Thrown by the helpers (never by the plain client calls) when the service refuses for good. */
export class OutcomeRecapError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, message?: string) {
    super(message ?? (problem ? `${status} ${problem.code}: ${problem.detail ?? problem.title}` : `HTTP ${status}`));
    this.name = "OutcomeRecapError";
    this.status = status;
    this.problem = problem;
  }
}

/** The problem in an error body, when it is one. */
export function asProblem(body: unknown): Problem | undefined {
  return typeof body === "object" && body !== null && "code" in body && "status" in body
    ? (body as Problem)
    : undefined;
}
