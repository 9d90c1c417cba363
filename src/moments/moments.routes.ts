import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, PAGE_QUERY, problemResponses } from "../platform/http/openapi.js";
import { notFound, validationFailed } from "../platform/http/problem.js";
import { ROLLUP_REBUILD_JOB } from "../usage/rollups.js";
import { listMetrics, metricKeySchema } from "../usage/value-model.js";
import { listRuleFirings } from "./firings.js";
import { momentRules } from "./moments.schema.js";

const security = [{ bearerAuth: [] }];
const eventName = z.string().min(1).max(200);

const ruleInputSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("threshold"),
      name: z.string().trim().min(1).max(120),
      metricKey: metricKeySchema,
      threshold: z.number().positive().max(1e12),
      windowDays: z.number().int().min(1).max(366),
      cooldownDays: z.number().int().min(1).max(366).default(30),
    }),
    z.strictObject({
      kind: z.literal("first_event"),
      name: z.string().trim().min(1).max(120),
      event: eventName,
    }),
    z.strictObject({
      kind: z.literal("distinct_users"),
      name: z.string().trim().min(1).max(120),
      event: eventName,
      property: z.string().min(1).max(100).default("user_id"),
      threshold: z.number().int().min(2).max(1_000_000),
      windowDays: z.number().int().min(1).max(90).default(7),
      cooldownDays: z.number().int().min(1).max(366).default(30),
    }),
  ])
  .openapi("MomentRuleInput");

const RuleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(["threshold", "first_event", "distinct_users"]),
    metricKey: z.string().nullable(),
    event: z.string().nullable(),
    property: z.string().nullable(),
    threshold: z.number().nullable(),
    windowDays: z.number().nullable(),
    cooldownDays: z.number(),
    createdAt: z.string(),
  })
  .openapi("MomentRule");

const ruleJson = (rule: typeof momentRules.$inferSelect) => ({
  id: rule.id,
  name: rule.name,
  kind: rule.kind,
  metricKey: rule.metricKey,
  event: rule.event,
  property: rule.property,
  threshold: rule.threshold,
  windowDays: rule.windowDays,
  cooldownDays: rule.cooldownDays,
  createdAt: rule.createdAt.toISOString(),
});

const FiringSchema = z
  .object({
    id: z.uuid(),
    account: z.string().describe("The account's external id"),
    firedAt: z.string().describe("When the rule first fired for this moment"),
    detail: z.string().describe('What the rule saw, e.g. "first integration.added"'),
    outcome: z
      .enum(["created", "insufficient_data", "pending", "skipped_recent_milestone"])
      .describe(
        "created: the recap is made; insufficient_data: the data gate refused it, tried again when the account's next usage arrives; skipped_recent_milestone: the account had a milestone recap in the last 7 days",
      ),
    reason: z.string().nullable().describe("Why the last try made no recap"),
    attempts: z.number().int(),
    lastAttemptAt: z.string().nullable(),
    recapId: z.uuid().nullable(),
  })
  .openapi("MomentFiring");

const idParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

/** Value-moment rules: usage that crosses them creates a milestone recap (with a cooldown). */
export function registerMomentRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/value-moments",
      operationId: "listValueMoments",
      tags: ["Value moments"],
      summary: "The rules that create milestone recaps as usage arrives",
      security,
      middleware: [requireScope("admin", "recaps:read")] as const,
      responses: {
        200: jsonContent(z.object({ data: z.array(RuleSchema) }), "The rules"),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const rules = await deps.db
        .select()
        .from(momentRules)
        .where(eq(momentRules.tenantId, c.get("principal").tenantId));
      return c.json({ data: rules.map(ruleJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/value-moments",
      operationId: "createValueMoment",
      tags: ["Value moments"],
      summary: "Add a rule: a metric crossing a threshold, a first event, or N distinct users in a window",
      security,
      middleware: [requireScope("admin")] as const,
      request: { body: jsonBody(ruleInputSchema) },
      responses: { 201: jsonContent(RuleSchema, "The rule"), ...problemResponses(400, 401, 403, 415, 422) },
    }),
    async (c) => {
      const { tenantId } = c.get("principal");
      const input = c.req.valid("json");
      if (input.kind === "threshold") {
        const metrics = await listMetrics(deps.db, tenantId);
        if (!metrics.some((metric) => metric.key === input.metricKey)) {
          throw validationFailed([{ path: "metricKey", message: `"${input.metricKey}" is not in the value model` }]);
        }
      }
      const rule = await deps.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(momentRules)
          .values({
            tenantId,
            name: input.name,
            kind: input.kind,
            metricKey: input.kind === "threshold" ? input.metricKey : null,
            event: input.kind === "threshold" ? null : input.event,
            property: input.kind === "distinct_users" ? input.property : null,
            threshold: input.kind === "first_event" ? null : input.threshold,
            windowDays: input.kind === "first_event" ? null : input.windowDays,
            cooldownDays: input.kind === "first_event" ? 366 : input.cooldownDays,
          })
          .returning();
        // A distinct-users rule counts values that were not collected before it existed.
        if (input.kind === "distinct_users") {
          await deps.queue.enqueue(ROLLUP_REBUILD_JOB, { tenantId }, { tx, singletonKey: tenantId });
        }
        return created;
      });
      if (!rule) throw new Error("rule insert returned no row");
      return c.json(ruleJson(rule), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/value-moments/{id}/firings",
      operationId: "listValueMomentFirings",
      tags: ["Value moments"],
      summary: "Each time the rule fired for an account, and what came of it (newest first)",
      security,
      middleware: [requireScope("admin", "recaps:read")] as const,
      request: {
        params: idParam,
        query: z.object({
          ...PAGE_QUERY,
        }),
      },
      responses: {
        200: jsonContent(z.object({ data: z.array(FiringSchema), next: z.string().nullable() }), "A page"),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { tenantId } = c.get("principal");
      const { id } = c.req.valid("param");
      const [rule] = await deps.db
        .select({ id: momentRules.id })
        .from(momentRules)
        .where(and(eq(momentRules.tenantId, tenantId), eq(momentRules.id, id)));
      if (!rule) throw notFound("The rule does not exist or belongs to another tenant.");
      const { rows, next } = await listRuleFirings(deps.db, tenantId, id, c.req.valid("query"));
      const data = rows.map((row) => ({
        id: row.id,
        account: row.account,
        firedAt: row.firedAt.toISOString(),
        detail: row.detail,
        outcome: row.outcome,
        reason: row.reason,
        attempts: row.attempts,
        lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
        recapId: row.recapId,
      }));
      return c.json({ data, next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/value-moments/{id}",
      operationId: "deleteValueMoment",
      tags: ["Value moments"],
      summary: "Remove a rule",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam },
      responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const deleted = await deps.db
        .delete(momentRules)
        .where(and(eq(momentRules.tenantId, c.get("principal").tenantId), eq(momentRules.id, c.req.valid("param").id)))
        .returning({ id: momentRules.id });
      if (deleted.length === 0) throw notFound("The rule does not exist or belongs to another tenant.");
      return c.body(null, 204);
    },
  );
}
