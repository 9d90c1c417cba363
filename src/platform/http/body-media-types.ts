import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.js";

/** What a 415 names when the route does not say otherwise: every JSON body route. */
export const DEFAULT_BODY_MEDIA_TYPES = ["application/json"] as const;

/**
 * For a route that accepts more than JSON: the OpenAPI validator's media-type gate still decides
 * (from the route's declared content), this only lets its 415 name every type the route takes.
 */
export function bodyMediaTypes(...mediaTypes: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("bodyMediaTypes", mediaTypes);
    await next();
  };
}

export function unsupportedMediaTypeDetail(mediaTypes: readonly string[] | undefined): string {
  return `Send the body as ${(mediaTypes ?? DEFAULT_BODY_MEDIA_TYPES).join(" or ")}.`;
}
