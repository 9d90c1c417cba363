import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, PAGE_QUERY, problemResponses } from "../platform/http/openapi.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { periodLabelSchema } from "../usage/period-label.js";
import { generateRecapFromRequest } from "./generate.js";
import { generateRecapSchema } from "./recap-input.js";
import { RecapSchema, recapJson } from "./recap-json.js";
import { getRecap, listRecaps } from "./recaps.js";
import { RECAP_STATES } from "./recaps.schema.js";

const security = [{ bearerAuth: [] }];
export function registerRecapRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recaps",
      operationId: "generateRecap",
      tags: ["Recaps"],
      summary: "Generate a recap for an account and quarter (or year)",
      description:
        "Computes the digest now and answers 202 with the recap in `drafting`; the copy is drafted by a job. " +
        "422 `insufficient_data` when the account used too little to be worth a recap. Honours `Idempotency-Key`.",
      security,
      middleware: [requireScope("recaps:write")] as const,
      request: { body: jsonBody(generateRecapSchema) },
      responses: {
        202: jsonContent(RecapSchema, "Accepted: drafting has started"),
        ...problemResponses(400, 401, 403, 409, 415, 422),
      },
    }),
    async (c) => {
      const { tenantId } = c.get("principal");
      const tenant = await getTenant(deps.db, tenantId);
      const created = await generateRecapFromRequest(deps, tenant, c.req.valid("json"));
      const recap = await getRecap(deps.db, tenantId, created.id);
      c.header("location", `/v1/recaps/${recap.id}`);
      return c.json(recapJson(recap), 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/recaps/{id}",
      operationId: "getRecap",
      tags: ["Recaps"],
      summary: "One recap with its digest and state",
      security,
      middleware: [requireScope("recaps:read", "recaps:write", "review")] as const,
      request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
      responses: { 200: jsonContent(RecapSchema, "The recap"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const recap = await getRecap(deps.db, c.get("principal").tenantId, c.req.valid("param").id);
      c.header("etag", `"${recap.version}"`);
      return c.json(recapJson(recap), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/recaps",
      operationId: "listRecaps",
      tags: ["Recaps"],
      summary: "Recaps, newest first, filtered and paginated",
      security,
      middleware: [requireScope("recaps:read", "recaps:write", "review")] as const,
      request: {
        query: z.object({
          state: z.enum(RECAP_STATES).optional(),
          account: z.string().max(200).optional().describe("External id"),
          period: periodLabelSchema.optional(),
          kind: z.enum(["quarterly", "milestone", "annual"]).optional(),
          locale: z.enum(SUPPORTED_LOCALES).optional(),
          variant: z.enum(["A", "B"]).optional(),
          flagged: z
            .enum(["true", "false"])
            .transform((value) => value === "true")
            .optional()
            .describe("Only recaps the drafting flagged for a closer look (true) or not (false)"),
          olderThanHours: z.coerce
            .number()
            .int()
            .min(0)
            .max(24 * 366)
            .optional()
            .describe("Only recaps created at least this many hours ago (the queue's age filter)"),
          ...PAGE_QUERY,
        }),
      },
      responses: {
        200: jsonContent(z.object({ data: z.array(RecapSchema), next: z.string().nullable() }), "A page"),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { rows, next } = await listRecaps(
        deps.db,
        c.get("principal").tenantId,
        c.req.valid("query"),
        deps.clock.now(),
      );
      return c.json({ data: rows.map(recapJson), next }, 200);
    },
  );
}
