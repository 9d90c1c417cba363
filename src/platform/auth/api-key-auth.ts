import type { MiddlewareHandler } from "hono";
import type { Deps } from "../../deps.js";
import type { AppEnv } from "../http/app-env.js";
import { ProblemError } from "../http/problem.js";
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
export function apiKeyAuth(deps: Pick<Deps, "db" | "clock" | "log">): MiddlewareHandler<AppEnv> {
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

/** Refuses a caller whose key holds none of `scopes`; a signed-in reviewer counts as `review`. */
export function requireScope(...scopes: Scope[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal");
    const granted =
      principal.kind === "api_key"
        ? scopes.some((scope) => principal.scopes.includes(scope))
        : scopes.includes("review");
    if (!granted) {
      throw new ProblemError({
        status: 403,
        code: "insufficient_scope",
        detail: `This operation needs the scope ${scopes.map((s) => `"${s}"`).join(" or ")}.`,
        extensions: { requiredScopes: scopes },
      });
    }
    await next();
  };
}
