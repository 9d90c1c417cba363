import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv, Principal } from "../http/app-env.js";
import { ProblemError } from "../http/problem.js";
import type { PlatformDeps } from "../platform-deps.js";
import { findActiveApiKey, touchApiKey } from "../tenancy/api-keys.js";
import { isScope, type Scope } from "./scopes.js";

const unauthorized = (detail: string) =>
  new ProblemError({
    status: 401,
    code: "unauthorized",
    detail,
    headers: { "www-authenticate": 'Bearer realm="outcome-recap"' },
  });

/** Resolves `Authorization: Bearer <key>` to the key's tenant and scopes. */
export function apiKeyAuth(deps: Pick<PlatformDeps, "db" | "clock" | "log">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw unauthorized("Send your API key as `Authorization: Bearer <key>`.");
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthorized("The Authorization header must be `Bearer <key>`.");
    const key = await findActiveApiKey(deps.db, match[1]);
    if (!key) throw unauthorized("The API key is unknown or has been revoked.");
    c.set("principal", {
      kind: "api_key",
      tenantId: key.tenantId,
      keyId: key.id,
      scopes: key.scopes.filter(isScope),
    });
    touchApiKey(deps.db, key.id, deps.clock.now()).catch((error) =>
      deps.log.warn({ err: error }, "could not record API key use"),
    );
    await next();
  };
}

/** The scopes each guard made by requireScope asks for, so other layers can check them early. */
const guardScopes = new WeakMap<MiddlewareHandler<AppEnv>, readonly Scope[]>();

/** Refuses a caller whose key holds none of `scopes`; a signed-in reviewer counts as `review`. */
export function requireScope(...scopes: Scope[]): MiddlewareHandler<AppEnv> {
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    assertScope(c.get("principal"), scopes);
    await next();
  };
  guardScopes.set(guard, scopes);
  return guard;
}

/** Throws 403 insufficient_scope unless the principal holds one of `scopes`. */
export function assertScope(principal: Principal, scopes: readonly Scope[]) {
  const granted =
    principal.kind === "api_key" ? scopes.some((scope) => principal.scopes.includes(scope)) : scopes.includes("review");
  if (!granted) {
    throw new ProblemError({
      status: 403,
      code: "insufficient_scope",
      detail: `This operation needs the scope ${scopes.map((s) => `"${s}"`).join(" or ")}.`,
      extensions: { requiredScopes: scopes },
    });
  }
}

/**
 * Checks, from a middleware that runs before the route, every scope guard of the route this
 * request matched: the idempotency layer calls it so that a caller without the route's scope is
 * refused before any stored response is looked up.
 */
export function assertRouteScopes(c: Context<AppEnv>) {
  for (const route of matchedRoutes(c)) {
    const scopes = guardScopes.get(route.handler as MiddlewareHandler<AppEnv>);
    if (scopes) assertScope(c.get("principal"), scopes);
  }
}
