import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Deps } from "../deps.js";
import { recapCopySchema } from "../drafting/copy.schema.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv, Principal } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../platform/http/openapi.js";
import { ProblemError } from "../platform/http/problem.js";
import { publishRecap } from "../publishing/publish-recap.js";
import type { Actor } from "../recaps/recap-actions.js";
import {
  approveRecap,
  editCopy,
  hideNumbers,
  rejectRecap,
  requestRedraft,
  unpublishRecap,
} from "../recaps/recap-changes.js";
import { recapHistory } from "../recaps/recap-history.js";
import { recapJson } from "../recaps/recap-json.js";
import { getRecap } from "../recaps/recaps.js";
import { BULK_APPROVE_LIMIT, bulkApproveClean } from "./bulk-approve.js";

const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
const ifMatchHeader = z.object({
  "if-match": z
    .string()
    .optional()
    .openapi({ param: { name: "if-match", in: "header" }, description: 'The ETag you loaded, e.g. "3"' }),
});

/** The version in an If-Match header ("3", W/"3"); changes without one are refused (428). */
export function expectedVersion(c: Context): number {
  const header = c.req.header("if-match");
  if (!header) {
    throw new ProblemError({
      status: 428,
      code: "precondition_required",
      detail: "Send If-Match with the ETag you loaded, so two reviewers never overwrite each other.",
    });
  }
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!match) {
    throw new ProblemError({
      status: 412,
      code: "precondition_failed",
      detail: 'If-Match must be an ETag this API gave out, e.g. "3".',
    });
  }
  return Number(match[1]);
}

/** Who is acting: a signed-in person by role; an API key as reviewer, admin or product backend. */
export function actorFor(principal: Principal, purpose: "review" | "publish"): Actor {
  if (principal.kind === "session") return { type: principal.role, id: principal.userId, name: principal.name };
  const name = `API key ${principal.keyId}`;
  if (purpose === "publish")
    return { type: principal.scopes.includes("admin") ? "admin" : "backend", id: principal.keyId, name };
  return { type: principal.scopes.includes("admin") ? "admin" : "reviewer", id: principal.keyId, name };
}

const reasonText = z.string().trim().min(1).max(2000);

export function registerReviewRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  const changed = async (c: Context<AppEnv>, recapId: string, status: 200) => {
    const recap = await getRecap(deps.db, c.get("principal").tenantId, recapId);
    c.header("etag", `"${recap.version}"`);
    return c.json(recapJson(recap), status);
  };
  const target = (c: Context<AppEnv>, id: string, purpose: "review" | "publish" = "review") => ({
    tenantId: c.get("principal").tenantId,
    recapId: id,
    actor: actorFor(c.get("principal"), purpose),
    expectedVersion: expectedVersion(c),
  });
  const reviewRoute = <Body extends z.ZodType>(path: string, operationId: string, summary: string, body: Body) =>
    createRoute({
      method: path.endsWith("/copy") ? "patch" : "post",
      path,
      operationId,
      tags: ["Review"],
      summary,
      security,
      middleware: [requireScope("review", "admin")] as const,
      request: { params: idParams, headers: ifMatchHeader, body: jsonBody(body) },
      responses: {
        200: { description: "The recap after the change, with its new ETag" },
        ...problemResponses(400, 401, 403, 404, 409, 412, 428),
      },
    });

  app.openapi(
    reviewRoute(
      "/v1/recaps/{id}/copy",
      "editRecapCopy",
      "Edit copy fields; every number is fact-checked again",
      recapCopySchema.partial().strict(),
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      await editCopy(deps, target(c, id), c.req.valid("json"));
      return changed(c, id, 200);
    },
  );

  app.openapi(
    reviewRoute(
      "/v1/recaps/{id}/approve",
      "approveRecap",
      "Approve a draft (a failed fact-check needs an override with a reason)",
      z.strictObject({ override: z.strictObject({ reason: z.string().trim().min(1).max(2000) }).optional() }),
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      await approveRecap(deps, target(c, id), body.override ?? null);
      return changed(c, id, 200);
    },
  );

  app.openapi(
    reviewRoute(
      "/v1/recaps/{id}/reject",
      "rejectRecap",
      "Reject a draft",
      z.strictObject({ reason: reasonText.describe("Why; shown in the history") }),
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      await rejectRecap(deps, target(c, id), c.req.valid("json").reason);
      return changed(c, id, 200);
    },
  );

  app.openapi(
    reviewRoute(
      "/v1/recaps/{id}/redraft",
      "requestRedraft",
      "Send a draft back to the drafter with instructions",
      z.strictObject({ instructions: reasonText.describe("What to change; an LLM drafter reads them") }),
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      const { instructions } = c.req.valid("json");
      await requestRedraft(deps, target(c, id), instructions);
      return changed(c, id, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recaps/{id}/publish",
      operationId: "publishRecap",
      tags: ["Review"],
      summary: "Publish an approved recap for the end customer (their consent to the copy as it is now)",
      description:
        "`hiddenFactIds`, when sent, must equal the hidden set (PUT /v1/recaps/{id}/hidden-facts): 409 " +
        "`hidden_facts_changed` otherwise. 409 `copy_updating` while the copy or cards are being made without " +
        "the hidden numbers; 409 `hidden_fact_shown` when the copy still shows one.",
      security,
      middleware: [requireScope("recaps:write", "admin")] as const,
      request: {
        params: idParams,
        headers: ifMatchHeader,
        body: jsonBody(z.strictObject({ hiddenFactIds: z.array(z.string().max(200)).max(20).optional() })),
      },
      responses: {
        200: { description: "The published recap" },
        ...problemResponses(400, 401, 403, 404, 409, 412, 428),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await publishRecap(deps, target(c, id, "publish"), c.req.valid("json").hiddenFactIds);
      return changed(c, id, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/recaps/{id}/hidden-facts",
      operationId: "hideRecapFacts",
      tags: ["Review"],
      summary: "Choose the numbers the end customer keeps private: the copy is re-drafted without them",
      description:
        "Replaces the hidden set of an approved recap. The copy is re-drafted without those facts by a job " +
        "(`copyUpdating` is true until it is done), then the cards are rendered again; publishing answers 409 " +
        "`copy_updating` until both are ready. An empty list shows every number again.",
      security,
      middleware: [requireScope("recaps:write", "admin")] as const,
      request: {
        params: idParams,
        headers: ifMatchHeader,
        body: jsonBody(z.strictObject({ hiddenFactIds: z.array(z.string().max(200)).max(20) })),
      },
      responses: {
        200: { description: "The recap, with `copyUpdating` true" },
        ...problemResponses(400, 401, 403, 404, 409, 412, 428),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await hideNumbers(deps, target(c, id, "publish"), c.req.valid("json").hiddenFactIds);
      return changed(c, id, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recaps/{id}/unpublish",
      operationId: "unpublishRecap",
      tags: ["Review"],
      summary: "Take a published recap down: its public page and assets answer 410 at once",
      security,
      middleware: [requireScope("recaps:write", "admin")] as const,
      request: {
        params: idParams,
        headers: ifMatchHeader,
        body: jsonBody(z.strictObject({ reason: z.string().trim().max(2000).optional() })),
      },
      responses: {
        200: { description: "The unpublished recap" },
        ...problemResponses(400, 401, 403, 404, 409, 412, 428),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await unpublishRecap(deps, target(c, id, "publish"), c.req.valid("json").reason ?? null);
      return changed(c, id, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/review/bulk-approve",
      operationId: "bulkApproveRecaps",
      tags: ["Review"],
      summary: "Approve clean drafts in bulk: each at the version you saw; flagged or changed ones are left alone",
      security,
      middleware: [requireScope("review", "admin")] as const,
      request: {
        body: jsonBody(
          z.strictObject({
            recaps: z
              .array(z.strictObject({ id: z.uuid(), version: z.number().int().min(1) }))
              .min(1)
              .max(BULK_APPROVE_LIMIT),
          }),
        ),
      },
      responses: {
        200: jsonContent(
          z.object({
            results: z.array(
              z.object({
                id: z.string(),
                label: z.string(),
                outcome: z.enum(["approved", "skipped", "failed"]),
                message: z.string(),
              }),
            ),
          }),
          "What happened to each recap",
        ),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const principal = c.get("principal");
      const results = await bulkApproveClean(
        deps,
        principal.tenantId,
        actorFor(principal, "review"),
        c.req.valid("json").recaps,
      );
      return c.json({ results }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/recaps/{id}/history",
      operationId: "recapHistory",
      tags: ["Review"],
      summary: "The audit trail: who did what, when, why, and what changed",
      security,
      middleware: [requireScope("review", "admin", "recaps:read")] as const,
      request: { params: idParams },
      responses: {
        200: jsonContent(z.object({ data: z.array(z.record(z.string(), z.unknown())) }), "Oldest first"),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const recap = await getRecap(deps.db, c.get("principal").tenantId, c.req.valid("param").id);
      return c.json({ data: await recapHistory(deps.db, recap.id) }, 200);
    },
  );
}
