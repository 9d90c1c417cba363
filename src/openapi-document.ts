import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { createDeps } from "./deps.js";

/**
 * The service's OpenAPI document, exactly as `GET /openapi.json` serves it, without a database or a
 * port: the app is built from real but idle dependencies (postgres.js and pg-boss connect only on a
 * first query or start, and nothing here queries) and asked for the document in-process. The SDK's
 * types are generated from it, so they follow the routes and nothing else.
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  // The address is never dialled; the document's `servers` entry is the request's origin below.
  const unusedUrl = "postgres://openapi@127.0.0.1:1/openapi";
  const config = loadConfig({ LOG_LEVEL: "silent", DATABASE_URL: unusedUrl });
  const { deps, close } = createDeps(config, { poolSize: 1, queue: { background: false } });
  try {
    const response = await createApp(deps).request("http://localhost:3000/openapi.json");
    if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await close();
  }
}
