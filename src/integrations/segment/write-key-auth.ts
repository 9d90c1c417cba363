import type { MiddlewareHandler } from "hono";
import type { Deps } from "../../deps.js";
import { isScope } from "../../platform/auth/scopes.js";
import type { AppEnv } from "../../platform/http/app-env.js";
import { ProblemError } from "../../platform/http/problem.js";
import { findActiveApiKey, touchApiKey } from "../../platform/tenancy/api-keys.js";

const unauthorized = (detail: string) =>
  new ProblemError({
    status: 401,
    code: "unauthorized",
    detail,
    headers: { "www-authenticate": 'Basic realm="outcome-recap segment", charset="UTF-8"' },
  });

/**
 * Segment's write-key authentication: HTTP Basic with the write key as the user name and an empty
 * password (`base64("<key>:")`). Here the write key is one of the tenant's API keys, so the same
 * revocation, scopes, rate limit and idempotency records apply as to `Authorization: Bearer`.
 */
export function writeKeyAuth(deps: Pick<Deps, "db" | "clock" | "log">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const match = header ? /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw unauthorized("Send the write key as HTTP Basic auth: an API key as the user name, the password empty.");
    }
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const writeKey = colon < 0 ? decoded : decoded.slice(0, colon);
    if (colon >= 0 && decoded.slice(colon + 1) !== "") {
      throw unauthorized("The password must be empty: the write key (an API key) is the user name.");
    }
    const key = await findActiveApiKey(deps.db, writeKey);
    if (!key) throw unauthorized("The write key is unknown or has been revoked.");
    c.set("principal", { kind: "api_key", tenantId: key.tenantId, keyId: key.id, scopes: key.scopes.filter(isScope) });
    touchApiKey(deps.db, key.id, deps.clock.now()).catch((error) =>
      deps.log.warn({ err: error }, "could not record API key use"),
    );
    await next();
  };
}
