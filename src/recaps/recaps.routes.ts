import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { recapCopySchema, wordingSchema } from "../drafting/copy.schema.js";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../platform/http/openapi.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { THEMES } from "../rendering/rendering.types.js";
import { generateRecapFromRequest } from "./generate.js";
import { generateRecapSchema } from "./recap-input.js";
import { copyIsUpdating, getRecap, listRecaps, type RecapWithAccount } from "./recaps.js";

const security = [{ bearerAuth: [] }];
const STATES = [
  "drafting",
  "pending_review",
  "approved",
  "published",
  "rejected",
  "redraft_requested",
  "failed",
  "unpublished",
  "archived",
] as const;

const RecapSchema = z
  .object({
    id: z.uuid(),
    account: z.object({ externalId: z.string(), name: z.string() }),
    period: z.string(),
    kind: z.enum(["quarterly", "milestone"]),
    locale: z.string(),
    state: z.enum(STATES),
    stateReason: z.string().nullable(),
    version: z.number().int(),
    variant: z
      .enum(["A", "B"])
      .describe("A: rational (numbers, time and money); B: pride (achievement, rank, archetype)."),
    copy: recapCopySchema.nullable().describe("Null until drafted."),
    copyAlternatives: z
      .array(wordingSchema)
      .describe(
        "Other wordings of the headline and post the drafter offered, each fact-checked; the end customer may pick one.",
      ),
    customerChoices: z
      .object({
        theme: z.enum(THEMES).optional(),
        firstCardSize: z.enum(["linkedin", "square", "story"]).optional(),
        wording: z.enum(["drafted", "alternative", "edited"]).optional(),
      })
      .describe("What the end customer chose on their preview page: the look, the card shown first, the wording."),
    factCheck: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("Every number in the copy and the fact it matches, or the mismatch."),
    flagged: z.boolean().describe("The reviewer should look closely: see `drafting.flags`."),
    hiddenFactIds: z.array(z.string()).describe("Facts the end customer chose to hide: in no public text or asset."),
    copyUpdating: z
      .boolean()
      .describe("True while the copy is re-drafted without the hidden facts; publishing waits for it."),
    drafting: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("Drafter, model, prompt version, tries, flags, token use and cost."),
    digest: z.record(z.string(), z.unknown()).describe("Facts with provenance, headline, chart series, archetype."),
    origin: z.record(z.string(), z.unknown()),
    renderFailure: z
      .object({
        code: z.enum(["glyph_coverage", "error"]),
        reason: z.string(),
        version: z.number().int().describe("The recap version whose render failed."),
        failedAt: z.string(),
      })
      .nullable()
      .describe(
        "Why the cards and PDF could not be rendered; null when they were (or are on their way). Blocks publishing.",
      ),
    statusUrl: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Recap");

export function recapJson(recap: RecapWithAccount) {
  return {
    id: recap.id,
    account: { externalId: recap.accountExternalId, name: recap.accountName },
    period: recap.period,
    kind: recap.kind,
    locale: recap.locale,
    state: recap.state,
    stateReason: recap.stateReason,
    version: recap.version,
    variant: recap.variant,
    copy: recap.copy,
    copyAlternatives: recap.copyAlternatives ?? [],
    customerChoices: recap.customerChoices ?? {},
    factCheck: recap.factCheck as unknown as Record<string, unknown> | null,
    flagged: recap.flagged,
    hiddenFactIds: recap.hiddenFactIds,
    copyUpdating: copyIsUpdating(recap),
    drafting: recap.drafting as unknown as Record<string, unknown> | null,
    digest: recap.digest as unknown as Record<string, unknown>,
    origin: recap.origin as unknown as Record<string, unknown>,
    renderFailure: recap.renderFailure
      ? {
          code: recap.renderFailure.code as "glyph_coverage" | "error",
          reason: recap.renderFailure.reason,
          version: recap.renderFailure.version,
          failedAt: recap.renderFailure.failedAt.toISOString(),
        }
      : null,
    statusUrl: `/v1/recaps/${recap.id}`,
    createdAt: recap.createdAt.toISOString(),
    updatedAt: recap.updatedAt.toISOString(),
  };
}

export function registerRecapRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recaps",
      operationId: "generateRecap",
      tags: ["Recaps"],
      summary: "Generate a recap for an account and quarter",
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
          state: z.enum(STATES).optional(),
          account: z.string().max(200).optional().describe("External id"),
          period: z
            .string()
            .regex(/^\d{4}-Q[1-4]$/)
            .optional(),
          kind: z.enum(["quarterly", "milestone"]).optional(),
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
          cursor: z.string().max(200).optional().describe("The previous page's `next`"),
          limit: z.coerce.number().int().min(1).max(100).default(25),
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
