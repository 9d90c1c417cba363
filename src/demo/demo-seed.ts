import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, count, eq, like, or } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { getI18n } from "../i18n/i18n.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { generatePassword } from "../platform/auth/passwords.js";
import { SCOPES } from "../platform/auth/scopes.js";
import { createApiKey } from "../platform/tenancy/api-keys.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { createTenant, findTenantBySlug } from "../platform/tenancy/tenants.js";
import { createUser } from "../platform/tenancy/users.js";
import { DEMO_HISTORY_LOCALES, seedDemoLoopHistory } from "./demo-loop-history.js";
import { DEMO_SIGNUP_PATH } from "./demo-signup-path.js";
import { seedDemoUsage } from "./demo-usage.js";

export type DemoCredentials = {
  tenantSlug: string;
  apiKey: string;
  reviewerEmail: string;
  reviewerPassword: string;
};

export const DEMO_SLUG = "demo";

/**
 * Where the demo tenant's share links lead: the service's own demo signup page, as a path, so the
 * redirect sends a visitor to the origin they came through (see signupLocation), not to the
 * PUBLIC_BASE_URL of the day the demo was seeded.
 */
const DEMO_SIGNUP_URL = DEMO_SIGNUP_PATH;

/**
 * Demo databases seeded earlier send share links to an absolute URL: `/demo-signup` (a 404, from
 * before the signup page existed) or `<base>/demo/signup` (the base of the day they were seeded).
 * The seed never runs on them again, so this moves them to the path at every start. Returns
 * whether it changed anything.
 */
export async function moveDemoSignupUrl(deps: Deps): Promise<boolean> {
  const moved = await deps.db
    .update(tenants)
    .set({ signupUrl: DEMO_SIGNUP_URL, updatedAt: deps.clock.now() })
    .where(
      and(
        eq(tenants.slug, DEMO_SLUG),
        or(like(tenants.signupUrl, "http%/demo-signup"), like(tenants.signupUrl, `http%${DEMO_SIGNUP_PATH}`)),
      ),
    )
    .returning({ id: tenants.id });
  return moved.length > 0;
}

/** What the demo's share pages tell visitors about Northwind Flows, in each language (locales/<lng>/share.json). */
function demoProduct() {
  const i18n = getI18n();
  const text = (key: string) =>
    Object.fromEntries(
      SUPPORTED_LOCALES.map((locale) => [locale, i18n.t(`demoProduct.${key}`, { lng: locale, ns: "share" })]),
    );
  return { productTagline: text("tagline"), productDescription: text("description") };
}

/**
 * On an empty database, creates the demo tenant with a reviewer, an API key holding every scope,
 * a value model, two quarters of usage for 30 accounts and twelve weeks of loop history (demo
 * recaps published, shared, clicked and converted), so the growth dashboard has something to
 * show on day one. Secrets are stored only as hashes, so the plain values are kept in the local data
 * folder (mode 600) to be printed again on the next start.
 */
export async function seedDemoIfEmpty(
  deps: Deps,
  options: {
    /**
     * `background`: return once the tenant, its key and its usage exist, and add the loop
     * history (which renders 56 cards and PDFs) while the service already answers; `serve` does
     * this so the first start is not held up. The default waits for it.
     */
    history?: "await" | "background";
  } = {},
): Promise<DemoCredentials | undefined> {
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
    signupUrl: DEMO_SIGNUP_URL,
    ...demoProduct(),
  });
  const reviewerPassword = generatePassword();
  const reviewerEmail = "reviewer@demo.example";
  const reviewer = await createUser(deps.db, {
    tenantId: tenant.id,
    email: reviewerEmail,
    name: "Demo Reviewer",
    role: "admin",
    password: reviewerPassword,
  });
  const started = performance.now();
  await seedDemoUsage(deps, tenant.id, DEMO_HISTORY_LOCALES);
  const usageMs = Math.round(performance.now() - started);
  const history = seedHistory(deps, tenant.id, reviewer, usageMs);
  if (options.history !== "background") await history;
  const { key } = await createApiKey(deps.db, { tenantId: tenant.id, name: "Demo backend", scopes: [...SCOPES] });
  const credentials: DemoCredentials = { tenantSlug: DEMO_SLUG, apiKey: key, reviewerEmail, reviewerPassword };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/**
 * The loop history is a sample, not the tenant: if it fails (a renderer that cannot start, or
 * a shutdown while it runs in the background), the service keeps the tenant, its key and its
 * usage, and says what went wrong. Never throws.
 */
async function seedHistory(deps: Deps, tenantId: string, reviewer: { id: string; name: string }, usageMs: number) {
  const started = performance.now();
  try {
    const history = await seedDemoLoopHistory(deps, { tenantId, reviewer });
    // Both times, so a slow first start can be told apart: the usage (events) or the history (renders).
    deps.log.info(
      { ...history, usageMs, historyMs: Math.round(performance.now() - started) },
      "demo loop history seeded",
    );
  } catch (error) {
    deps.log.warn(
      { err: error },
      "seeding the demo loop history stopped; the growth dashboard shows what was seeded before",
    );
  }
}
