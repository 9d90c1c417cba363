import { randomBytes } from "node:crypto";
import type { Deps } from "../../src/deps.js";
import type { Scope } from "../../src/platform/auth/scopes.js";
import { SCOPES } from "../../src/platform/auth/scopes.js";
import { createApiKey } from "../../src/platform/tenancy/api-keys.js";
import type { UserRole } from "../../src/platform/tenancy/tenancy.schema.js";
import type { CreateTenantInput } from "../../src/platform/tenancy/tenant-input.js";
import { createTenant, type Tenant } from "../../src/platform/tenancy/tenants.js";
import { createUser } from "../../src/platform/tenancy/users.js";

const unique = () => randomBytes(4).toString("hex");

export async function makeTenant(deps: Deps, overrides: Partial<CreateTenantInput> = {}): Promise<Tenant> {
  const suffix = unique();
  return createTenant(deps.db, deps.queue, { name: `Tenant ${suffix}`, slug: `t-${suffix}`, ...overrides });
}

export async function makeApiKey(deps: Deps, tenantId: string, scopes: Scope[] = [...SCOPES]) {
  return createApiKey(deps.db, { tenantId, name: "test key", scopes });
}

export const TEST_PASSWORD = "correct horse battery staple";

export async function makeUser(deps: Deps, tenantId: string, role: UserRole = "reviewer", email?: string) {
  return createUser(deps.db, {
    tenantId,
    email: email ?? `${role}-${unique()}@example.test`,
    name: `Test ${role}`,
    role,
    password: TEST_PASSWORD,
  });
}

/** A tenant with an all-scope key: the usual starting point of an HTTP test. */
export async function makeTenantWithKey(deps: Deps, scopes?: Scope[]) {
  const tenant = await makeTenant(deps);
  const { key, record } = await makeApiKey(deps, tenant.id, scopes);
  return { tenant, key, keyRecord: record };
}
