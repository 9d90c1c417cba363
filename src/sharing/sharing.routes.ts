import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { registerLinkRoutes } from "./links.routes.js";
import { registerShareRoutes } from "./share.routes.js";

/** Share links (API), the public share page and the tracked redirect. */
export function registerSharingRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  registerLinkRoutes(app, deps);
  registerShareRoutes(app, deps);
}
