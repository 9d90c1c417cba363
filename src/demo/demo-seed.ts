import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, count, eq, like } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { generatePassword } from "../platform/auth/passwords.js";
import { SCOPES } from "../platform/auth/scopes.js";
import { createApiKey } from "../platform/tenancy/api-keys.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { createTenant, findTenantBySlug } from "../platform/tenancy/tenants.js";
import { createUser } from "../platform/tenancy/users.js";
import { DEMO_SIGNUP_PATH } from "./demo-signup-path.js";
import { seedDemoUsage } from "./demo-usage.js";

export type DemoCredentials = {
  tenantSlug: string;
  apiKey: string;
  reviewerEmail: string;
  reviewerPassword: string;
};

export const DEMO_SLUG = "demo";

/** Where the demo tenant's share links lead: the service's own demo signup page. */
const demoSignupUrl = (deps: Deps) => `${deps.config.publicBaseUrl.replace(/\/$/, "")}${DEMO_SIGNUP_PATH}`;

/**
 * Demo databases seeded before the signup page existed send share links to `/demo-signup`, a 404;
 * the seed never runs on them again, so this moves them to the page at every start. Returns
 * whether it changed anything.
 */
export async function moveDemoSignupUrl(deps: Deps): Promise<boolean> {
  const moved = await deps.db
    .update(tenants)
    .set({ signupUrl: demoSignupUrl(deps), updatedAt: deps.clock.now() })
    .where(and(eq(tenants.slug, DEMO_SLUG), like(tenants.signupUrl, "%/demo-signup")))
    .returning({ id: tenants.id });
  return moved.length > 0;
}

/**
 * On an empty database, creates the demo tenant with a reviewer, an API key holding every scope,
 * a value model and two quarters of usage for 30 accounts. Secrets are stored only as hashes, so the plain values are kept in the local data
 * folder (mode 600) to be printed again on the next start.
 */
export async function seedDemoIfEmpty(deps: Deps): Promise<DemoCredentials | undefined> {
  const file = path.resolve(deps.config.dataDir, "demo-credentials.json");
  const [row] = await deps.db.select({ tenants: count() }).from(tenants);
  if ((row?.tenants ?? 0) > 0) {
    await moveDemoSignupUrl(deps);
    if (!existsSync(file) || !(await findTenantBySlug(deps.db, DEMO_SLUG))) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as DemoCredentials;
  }
  const tenant = await createTenant(deps.db, deps.queue, {
    name: "Northwind Flows",
    slug: DEMO_SLUG,
    defaultLocale: "en",
    currency: "EUR",
    signupUrl: demoSignupUrl(deps),
  });
  const reviewerPassword = generatePassword();
  const reviewerEmail = "reviewer@demo.example";
  await createUser(deps.db, {
    tenantId: tenant.id,
    email: reviewerEmail,
    name: "Demo Reviewer",
    role: "admin",
    password: reviewerPassword,
  });
  await seedDemoUsage(deps, tenant.id);
  const { key } = await createApiKey(deps.db, { tenantId: tenant.id, name: "Demo backend", scopes: [...SCOPES] });
  const credentials: DemoCredentials = { tenantSlug: DEMO_SLUG, apiKey: key, reviewerEmail, reviewerPassword };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
