import type { Scope } from "../auth/scopes.js";
import type { UserRole } from "../tenancy/tenancy.schema.js";

/** Who is calling: a product backend with an API key, or a signed-in person. */
export type ApiKeyPrincipal = { kind: "api_key"; tenantId: string; keyId: string; scopes: readonly Scope[] };

export type SessionPrincipal = {
  kind: "session";
  tenantId: string;
  userId: string;
  email: string;
  name: string;
  role: UserRole;
  csrfToken: string;
};

export type Principal = ApiKeyPrincipal | SessionPrincipal;

/** Request-scoped values only; dependencies travel in closures, never in c.var. */
export type AppEnv = {
  Variables: {
    requestId: string;
    principal: Principal;
    /** Set by the session middleware when the reviewer cookie is valid. */
    session: SessionPrincipal | undefined;
    /** Set by a handler whose response shows a secret once (see withholdFromReplay). */
    responseCarriesSecret: true | undefined;
    /** Set on a route that accepts more than JSON, so its 415 names every type (see body-media-types.ts). */
    bodyMediaTypes: readonly string[] | undefined;
  };
};
