import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { requireScope } from "../auth/api-key-auth.js";
import { SCOPES } from "../auth/scopes.js";
import type { AppEnv } from "../http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../http/openapi.js";
import { withholdFromReplay } from "../idempotency/idempotency.js";
import type { PlatformDeps } from "../platform-deps.js";
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from "./api-keys.js";
import { brandSchema, loopEconomicsSchema, shareRewardSchema, tenantSettingsSchema } from "./tenant-input.js";
import { getTenant, updateTenantSettings } from "./tenants.js";
import { createUser, listUsers, MIN_PASSWORD_LENGTH } from "./users.js";

const security = [{ bearerAuth: [] }];
const idParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const TenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    defaultLocale: z.string(),
    currency: z.string(),
    signupUrl: z.string().nullable(),
    brand: brandSchema,
    hasLogo: z.boolean(),
    approvalPolicy: z.enum(["manual", "auto_when_clean"]),
    recapScheduleDay: z.number().int().nullable(),
    annualRecapDay: z.string().nullable(),
    holidayCalendar: z.string().nullable(),
    variantPolicy: z.enum(["A", "B", "split"]),
    monthlyTokenBudget: z.number().int().nullable(),
    loopEconomics: loopEconomicsSchema,
    shareReward: shareRewardSchema,
    productTagline: tenantSettingsSchema.shape.productTagline,
    productDescription: tenantSettingsSchema.shape.productDescription,
    websiteUrl: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Tenant");

const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ example: "ork_3fa9c2d1" }),
    scopes: z.array(z.enum(SCOPES)),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("ApiKey");

const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(["reviewer", "admin"]),
    createdAt: z.string(),
  })
  .openapi("User");

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function tenantJson(tenant: Awaited<ReturnType<typeof getTenant>>) {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    defaultLocale: tenant.defaultLocale,
    currency: tenant.currency,
    signupUrl: tenant.signupUrl,
    brand: tenant.brand,
    hasLogo: tenant.logo !== null,
    approvalPolicy: tenant.approvalPolicy,
    recapScheduleDay: tenant.recapScheduleDay,
    annualRecapDay: tenant.annualRecapDay,
    holidayCalendar: tenant.holidayCalendar,
    variantPolicy: tenant.variantPolicy,
    monthlyTokenBudget: tenant.monthlyTokenBudget,
    loopEconomics: tenant.loopEconomics,
    shareReward: tenant.shareReward,
    productTagline: tenant.productTagline,
    productDescription: tenant.productDescription,
    websiteUrl: tenant.websiteUrl,
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  };
}

function apiKeyJson(key: Awaited<ReturnType<typeof getApiKey>>) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes as (typeof SCOPES)[number][],
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
    createdAt: key.createdAt.toISOString(),
  };
}

export function registerTenancyRoutes(app: OpenAPIHono<AppEnv>, deps: PlatformDeps) {
  const { db } = deps;

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/tenant",
      operationId: "getTenant",
      tags: ["Tenant"],
      summary: "The tenant that owns the calling key",
      security,
      responses: { 200: jsonContent(TenantSchema, "The tenant"), ...problemResponses(401) },
    }),
    async (c) => c.json(tenantJson(await getTenant(db, c.get("principal").tenantId)), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/tenant",
      operationId: "updateTenant",
      tags: ["Tenant"],
      summary:
        "Change the tenant's settings (locale, currency, signup URL, brand, approval policy, share reward, what the product is)",
      security,
      middleware: [requireScope("admin")] as const,
      request: { body: jsonBody(tenantSettingsSchema.partial()) },
      responses: { 200: jsonContent(TenantSchema, "The updated tenant"), ...problemResponses(400, 401, 403, 415) },
    }),
    async (c) => {
      const changes = c.req.valid("json");
      return c.json(tenantJson(await updateTenantSettings(db, c.get("principal").tenantId, changes)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/api-keys",
      operationId: "listApiKeys",
      tags: ["Tenant"],
      summary: "The tenant's API keys (never the secrets)",
      security,
      middleware: [requireScope("admin")] as const,
      responses: {
        200: jsonContent(z.object({ data: z.array(ApiKeySchema) }), "The keys, newest first"),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => c.json({ data: (await listApiKeys(db, c.get("principal").tenantId)).map(apiKeyJson) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/api-keys",
      operationId: "createApiKey",
      tags: ["Tenant"],
      summary: "Create an API key; the secret is in this response only",
      description:
        "Honours `Idempotency-Key`, but the secret is never stored: a retry with the same key gets 409 " +
        "`secret_already_shown` (with the new key's `location`) instead of a replay.",
      security,
      middleware: [requireScope("admin")] as const,
      request: {
        body: jsonBody(
          z.strictObject({
            name: z.string().trim().min(1).max(120),
            scopes: z.array(z.enum(SCOPES)).min(1),
          }),
        ),
      },
      responses: {
        201: jsonContent(ApiKeySchema.extend({ key: z.string() }), "The new key, with its secret"),
        ...problemResponses(400, 401, 403, 409, 415, 422),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const { key, record } = await createApiKey(db, { tenantId: c.get("principal").tenantId, ...input });
      withholdFromReplay(c);
      c.header("location", `/v1/api-keys/${record.id}`);
      return c.json({ ...apiKeyJson(record), key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/api-keys/{id}",
      operationId: "getApiKey",
      tags: ["Tenant"],
      summary: "One API key",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam },
      responses: { 200: jsonContent(ApiKeySchema, "The key"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(apiKeyJson(await getApiKey(db, c.get("principal").tenantId, c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/api-keys/{id}",
      operationId: "revokeApiKey",
      tags: ["Tenant"],
      summary: "Revoke an API key at once",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam },
      responses: { 200: jsonContent(ApiKeySchema, "The revoked key"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(apiKeyJson(await revokeApiKey(db, c.get("principal").tenantId, c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/users",
      operationId: "listUsers",
      tags: ["Tenant"],
      summary: "The tenant's reviewers and admins",
      security,
      middleware: [requireScope("admin")] as const,
      responses: {
        200: jsonContent(z.object({ data: z.array(UserSchema) }), "The users"),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const users = await listUsers(db, c.get("principal").tenantId);
      return c.json({ data: users.map((u) => ({ ...userJson(u) })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/users",
      operationId: "createUser",
      tags: ["Tenant"],
      summary: "Add a reviewer or admin who signs in to the review pages",
      description: "Honours `Idempotency-Key`.",
      security,
      middleware: [requireScope("admin")] as const,
      request: {
        body: jsonBody(
          z.strictObject({
            email: z.email().max(254),
            name: z.string().trim().min(1).max(120),
            role: z.enum(["reviewer", "admin"]),
            password: z.string().min(MIN_PASSWORD_LENGTH).max(200),
          }),
        ),
      },
      responses: {
        201: jsonContent(UserSchema, "The new user"),
        ...problemResponses(400, 401, 403, 409, 415, 422),
      },
    }),
    async (c) => {
      const user = await createUser(db, { tenantId: c.get("principal").tenantId, ...c.req.valid("json") });
      return c.json(userJson(user), 201);
    },
  );
}

function userJson(user: { id: string; email: string; name: string; role: "reviewer" | "admin"; createdAt: Date }) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
}
