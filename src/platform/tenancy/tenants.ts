import { eq } from "drizzle-orm";
import type { Database, DbExecutor } from "../db/client.js";
import { conflict, notFound } from "../errors.js";
import type { JobDefinition, JobQueue } from "../queue/queue.js";
import { cleanName } from "../text/clean-name.js";
import { tenants } from "./tenancy.schema.js";
import { type CreateTenantInput, DEFAULT_BRAND, type TenantSettingsInput } from "./tenant-input.js";

export type Tenant = typeof tenants.$inferSelect;

export const TENANT_PROVISION_JOB = "tenant.provision";

/**
 * Creates a tenant and, in the same transaction, the job that provisions it: if the insert
 * rolls back, no job runs for a tenant that does not exist.
 */
export async function createTenant(db: Database, queue: JobQueue, input: CreateTenantInput): Promise<Tenant> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({
        name: input.name,
        slug: input.slug,
        defaultLocale: input.defaultLocale ?? "en",
        currency: input.currency ?? "EUR",
        signupUrl: input.signupUrl ?? null,
        // New tenants get the bold cards unless they choose (docs/rendering.md, "Themes", says why);
        // tenants from before keep classic, which is what an absent theme still means.
        brand: { theme: "bold", ...(input.brand ?? { ...DEFAULT_BRAND, productName: input.name }) },
        approvalPolicy: input.approvalPolicy ?? "manual",
        recapScheduleDay: input.recapScheduleDay ?? null,
        annualRecapDay: input.annualRecapDay ?? null,
        holidayCalendar: input.holidayCalendar ?? null,
        variantPolicy: input.variantPolicy ?? "split",
        monthlyTokenBudget: input.monthlyTokenBudget ?? null,
        loopEconomics: input.loopEconomics ?? {},
        shareReward: input.shareReward ?? null,
        productTagline: input.productTagline ?? {},
        productDescription: input.productDescription ?? {},
        websiteUrl: input.websiteUrl ?? null,
      })
      .onConflictDoNothing({ target: tenants.slug })
      .returning();
    if (!tenant) throw conflict(`A tenant with slug "${input.slug}" already exists.`);
    await queue.enqueue(TENANT_PROVISION_JOB, { tenantId: tenant.id }, { tx });
    return tenant;
  });
}

export async function getTenant(db: DbExecutor, tenantId: string): Promise<Tenant> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw notFound("The tenant does not exist.");
  // Names stored before they were cleaned where they come in are cleaned on the way out.
  return {
    ...tenant,
    name: cleanName(tenant.name),
    brand: { ...tenant.brand, productName: cleanName(tenant.brand.productName) },
  };
}

export async function findTenantBySlug(db: DbExecutor, slug: string): Promise<Tenant | undefined> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  return tenant;
}

export async function updateTenantSettings(
  db: DbExecutor,
  tenantId: string,
  changes: Partial<TenantSettingsInput>,
): Promise<Tenant> {
  const [tenant] = await db
    .update(tenants)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId))
    .returning();
  if (!tenant) throw notFound("The tenant does not exist.");
  return tenant;
}

/**
 * Provisioning marks the tenant ready. Later features hang their per-tenant set-up here
 * (the default value model, for one); it must stay idempotent because a job may run twice.
 */
export function tenantProvisionJob(db: Database): JobDefinition<{ tenantId: string }> {
  return {
    name: TENANT_PROVISION_JOB,
    queue: { retryLimit: 5, retryBackoff: true },
    async handle({ tenantId }) {
      await db.update(tenants).set({ provisionedAt: new Date() }).where(eq(tenants.id, tenantId));
    },
  };
}
