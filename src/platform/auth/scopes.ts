/**
 * What an API key may do. A product backend usually holds events:write + recaps:write +
 * conversions:write; a growth dashboard analytics:read; `admin` manages the tenant's keys and users.
 */
export const SCOPES = [
  "events:write",
  "accounts:write",
  "recaps:read",
  "recaps:write",
  "review",
  "conversions:write",
  "analytics:read",
  "admin",
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
