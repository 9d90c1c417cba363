import type { App } from "../../src/app.js";

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of every shape
export type ApiResponse = { status: number; headers: Headers; body: any; text: string };

/** Calls the app in-process with an API key and JSON, and parses whatever comes back. */
export async function call(
  app: App,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Asserts the RFC 9457 shape every error shares, and returns the body for further checks. */
export function expectProblem(response: ApiResponse, status: number, code: string) {
  const problem = response.body as Record<string, unknown>;
  const ok =
    response.status === status &&
    response.headers.get("content-type")?.startsWith("application/problem+json") &&
    problem?.code === code &&
    problem.status === status &&
    problem.type === `/problems/${code}` &&
    typeof problem.title === "string" &&
    typeof problem.instance === "string";
  if (!ok) {
    throw new Error(`expected a ${status} ${code} problem, got ${response.status}: ${response.text.slice(0, 500)}`);
  }
  return problem;
}
