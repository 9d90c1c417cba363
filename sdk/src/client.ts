import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "./api.gen.js";

export type OutcomeRecapClient = Client<paths>;

export type ClientOptions = {
  /** The service's origin, e.g. `https://recaps.example.com` (no trailing `/v1`). */
  baseUrl: string;
  /** An API key (`ork_…`) with the scopes the calls need. */
  apiKey: string;
  /** Any fetch: Node's global one by default; tests pass an in-process app's `fetch`. */
  fetch?: (request: Request) => Response | Promise<Response>;
  /** Sent as User-Agent, so the service's logs tell your integration apart. */
  userAgent?: string;
};

/**
 * A typed client for every operation in the service's OpenAPI document (openapi-fetch over the
 * generated `paths`): `client.GET("/v1/recaps/{id}", { params: { path: { id } } })` checks the path,
 * parameters, body and response types at compile time. Calls return `{ data, error, response }`
 * and never throw for an HTTP status; `error` is the RFC 9457 problem.
 */
export function createOutcomeRecapClient(options: ClientOptions): OutcomeRecapClient {
  const customFetch = options.fetch;
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    ...(customFetch ? { fetch: async (request: Request) => customFetch(request) } : {}),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${options.apiKey}`);
      if (options.userAgent) request.headers.set("user-agent", options.userAgent);
      return request;
    },
  };
  client.use(auth);
  return client;
}
