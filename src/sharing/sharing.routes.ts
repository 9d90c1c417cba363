import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { registerLinkRoutes } from "./links.routes.js";
import { registerRecapPdfRoute } from "./recap-pdf.routes.js";
import { createLinkCache, registerRedirectRoute, registerShareRoutes } from "./share.routes.js";

/**
 * The tracked redirect goes first, before the app's global middleware (see registerRedirectRoute);
 * the links API and the share page after it, with auth, CSP and logging. Both share one link cache.
 */
export function sharingRoutes(deps: Deps) {
  const links = createLinkCache(deps);
  return {
    registerRedirect: (app: OpenAPIHono<AppEnv>) => registerRedirectRoute(app, deps, links),
    registerRest: (app: OpenAPIHono<AppEnv>) => {
      registerLinkRoutes(app, deps);
      registerShareRoutes(app, deps, links);
      registerRecapPdfRoute(app, deps);
    },
  };
}
