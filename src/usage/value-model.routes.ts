import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../platform/http/openapi.js";
import {
  AGGREGATIONS,
  deleteMetric,
  listMetrics,
  METRIC_UNITS,
  metricFields,
  metricInputSchema,
  metricKeySchema,
  metricLabelsSchema,
  OUTCOME_KINDS,
  saveMetric,
} from "./value-model.js";

const security = [{ bearerAuth: [] }];

const MetricSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    labels: metricLabelsSchema,
    event: z.string(),
    outcomeKind: z.enum(OUTCOME_KINDS),
    unit: z.enum(METRIC_UNITS),
    aggregation: z.enum(AGGREGATIONS),
    distinctProperty: z.string().nullable(),
    multiplier: z.number(),
    hourlyRate: z.number().nullable(),
    higherIsBetter: z.boolean(),
    priority: z.number().int(),
  })
  .openapi("Metric");

const metricJson = metricFields;

const keyParam = z.object({ key: metricKeySchema.openapi({ param: { name: "key", in: "path" } }) });

export function registerValueModelRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/value-model",
      operationId: "getValueModel",
      tags: ["Value model"],
      summary: "How this tenant's events become outcomes",
      security,
      middleware: [requireScope("admin", "recaps:read", "recaps:write")] as const,
      responses: {
        200: jsonContent(z.object({ metrics: z.array(MetricSchema) }), "The metrics"),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => c.json({ metrics: (await listMetrics(deps.db, c.get("principal").tenantId)).map(metricJson) }, 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/value-model/metrics/{key}",
      operationId: "putMetric",
      tags: ["Value model"],
      summary: "Create or replace one outcome metric",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: keyParam, body: jsonBody(metricInputSchema) },
      responses: { 200: jsonContent(MetricSchema, "The metric"), ...problemResponses(400, 401, 403, 415) },
    }),
    async (c) => {
      const metric = await saveMetric(deps, c.get("principal").tenantId, c.req.valid("param").key, c.req.valid("json"));
      return c.json(metricJson(metric), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/value-model/metrics/{key}",
      operationId: "deleteMetric",
      tags: ["Value model"],
      summary: "Remove one outcome metric (existing recaps keep their digests)",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: keyParam },
      responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await deleteMetric(deps.db, c.get("principal").tenantId, c.req.valid("param").key);
      return c.body(null, 204);
    },
  );
}
