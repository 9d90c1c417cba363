import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, PAGE_QUERY, problemResponses } from "../platform/http/openapi.js";
import { withholdFromReplay } from "../platform/idempotency/idempotency.js";
import { MAX_URL_LENGTH } from "./address-policy.js";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  rotateSecret,
  sendTestEvent,
  updateEndpoint,
} from "./endpoints.js";
import { WEBHOOK_EVENT_TYPES } from "./event-types.js";
import type { WebhookDelivery, WebhookEndpoint } from "./webhooks.schema.js";

const security = [{ bearerAuth: [] }];
const tags = ["Webhooks"];

const url = z
  .string()
  .min(1)
  .max(MAX_URL_LENGTH)
  .openapi({ example: "https://hooks.example.com/outcome-recap", description: "https only; public hosts only" });
const events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length * 2)
  .nullable()
  .describe("The event types to receive; null or absent: all of them, including types added later");
const description = z.string().trim().max(500);

const EndpointInput = z
  .strictObject({ url, events: events.optional(), description: description.optional() })
  .openapi("WebhookEndpointInput");
const EndpointPatch = z
  .strictObject({
    url: url.optional(),
    events: events.optional(),
    description: description.optional(),
    enabled: z.boolean().optional().describe("false turns deliveries off; true turns them back on (also after a 410)"),
  })
  .openapi("WebhookEndpointPatch");

const EndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()).nullable(),
    enabled: z.boolean(),
    disabledAt: z.string().nullable(),
    disabledReason: z.string().nullable(),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .describe("While in the future, the previous secret still signs next to the current one"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("WebhookEndpoint");

const secret = z
  .string()
  .openapi({ description: "Shown only now: `whsec_` + base64", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
const CreatedSchema = EndpointSchema.extend({ secret }).openapi("WebhookEndpointCreated");

const DeliverySchema = z
  .object({
    id: z.uuid(),
    messageId: z.string(),
    eventType: z.string(),
    attempt: z.number().int(),
    trigger: z.enum(["event", "retry", "manual", "test"]),
    status: z.enum(["succeeded", "failed"]),
    statusCode: z.number().int().nullable(),
    responseSnippet: z.string().nullable().describe("The start of the response body, at most 1 KB"),
    error: z.string().nullable(),
    durationMs: z.number().int(),
    attemptedAt: z.string(),
    nextAttemptAt: z.string().nullable(),
  })
  .openapi("WebhookDelivery");

const Queued = z.object({ messageId: z.string(), attempt: z.number().int().optional() }).openapi("WebhookQueued");

const idParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const iso = (date: Date | null) => date?.toISOString() ?? null;

const endpointJson = (endpoint: WebhookEndpoint) => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.eventTypes,
  enabled: endpoint.disabledAt === null,
  disabledAt: iso(endpoint.disabledAt),
  disabledReason: endpoint.disabledReason,
  previousSecretExpiresAt: iso(endpoint.previousSecret ? endpoint.previousSecretExpiresAt : null),
  createdAt: endpoint.createdAt.toISOString(),
  updatedAt: endpoint.updatedAt.toISOString(),
});

const deliveryJson = ({ delivery, eventType }: { delivery: WebhookDelivery; eventType: string }) => ({
  id: delivery.id,
  messageId: delivery.messageId,
  eventType,
  attempt: delivery.attempt,
  trigger: delivery.trigger,
  status: delivery.status,
  statusCode: delivery.statusCode,
  responseSnippet: delivery.responseSnippet,
  error: delivery.error,
  durationMs: delivery.durationMs,
  attemptedAt: delivery.attemptedAt.toISOString(),
  nextAttemptAt: iso(delivery.nextAttemptAt),
});

/** Webhook endpoints, their secrets and their delivery log; all need the `admin` scope. */
export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  const SECRET_NOT_REPLAYED =
    "Honours `Idempotency-Key`, but the secret is never stored: a retry with the same key gets 409 " +
    "`secret_already_shown` instead of a replay.";
  const tenantOf = (c: { get(key: "principal"): { tenantId: string } }) => c.get("principal").tenantId;

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks",
      operationId: "createWebhookEndpoint",
      tags,
      summary: "Register an endpoint; the response shows its signing secret, once",
      description: SECRET_NOT_REPLAYED,
      security,
      middleware: [requireScope("admin")] as const,
      request: { body: jsonBody(EndpointInput) },
      responses: {
        201: jsonContent(CreatedSchema, "The endpoint and its secret"),
        ...problemResponses(400, 401, 403, 409, 415),
      },
    }),
    async (c) => {
      const { endpoint, secret: created } = await createEndpoint(deps, tenantOf(c), c.req.valid("json"));
      withholdFromReplay(c);
      return c.json({ ...endpointJson(endpoint), secret: created }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks",
      operationId: "listWebhookEndpoints",
      tags,
      summary: "The tenant's endpoints, oldest first",
      security,
      middleware: [requireScope("admin")] as const,
      responses: {
        200: jsonContent(z.object({ data: z.array(EndpointSchema) }), "The endpoints"),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => c.json({ data: (await listEndpoints(deps.db, tenantOf(c))).map(endpointJson) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks/{id}",
      operationId: "getWebhookEndpoint",
      tags,
      summary: "One endpoint (without its secret)",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam },
      responses: { 200: jsonContent(EndpointSchema, "The endpoint"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json(endpointJson(await getEndpoint(deps.db, tenantOf(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/webhooks/{id}",
      operationId: "updateWebhookEndpoint",
      tags,
      summary: "Change the URL, events or description, or turn the endpoint off and on",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam, body: jsonBody(EndpointPatch) },
      responses: { 200: jsonContent(EndpointSchema, "The endpoint"), ...problemResponses(400, 401, 403, 404, 415) },
    }),
    async (c) => {
      const updated = await updateEndpoint(deps, tenantOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json(endpointJson(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/webhooks/{id}",
      operationId: "deleteWebhookEndpoint",
      tags,
      summary: "Remove an endpoint and its delivery log; queued deliveries to it are dropped",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam },
      responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await deleteEndpoint(deps.db, tenantOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{id}/rotate-secret",
      operationId: "rotateWebhookSecret",
      tags,
      summary: "A new signing secret; the previous one keeps signing alongside it for 24 hours",
      description: SECRET_NOT_REPLAYED,
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam },
      responses: {
        200: jsonContent(
          z.object({ secret, previousSecretExpiresAt: z.string() }).openapi("WebhookSecretRotated"),
          "The new secret, shown once",
        ),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { endpoint, secret: rotated } = await rotateSecret(deps, tenantOf(c), c.req.valid("param").id);
      withholdFromReplay(c);
      return c.json({ secret: rotated, previousSecretExpiresAt: iso(endpoint.previousSecretExpiresAt) ?? "" }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{id}/test",
      operationId: "testWebhookEndpoint",
      tags,
      summary: "Send a `webhook.test` event to this endpoint (one attempt; see the delivery log)",
      security,
      middleware: [requireScope("admin")] as const,
      request: { params: idParam },
      responses: { 202: jsonContent(Queued, "Queued"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await sendTestEvent(deps, tenantOf(c), c.req.valid("param").id), 202),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/webhooks/{id}/deliveries",
      operationId: "listWebhookDeliveries",
      tags,
      summary: "Every delivery attempt to this endpoint, newest first",
      security,
      middleware: [requireScope("admin")] as const,
      request: {
        params: idParam,
        query: z.object({
          ...PAGE_QUERY,
        }),
      },
      responses: {
        200: jsonContent(z.object({ data: z.array(DeliverySchema), next: z.string().nullable() }), "A page"),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { items, next } = await listDeliveries(deps.db, tenantOf(c), c.req.valid("param").id, c.req.valid("query"));
      return c.json({ data: items.map(deliveryJson), next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
      operationId: "redeliverWebhook",
      tags,
      summary: "Send that attempt's message again, as one more attempt",
      security,
      middleware: [requireScope("admin")] as const,
      request: {
        params: idParam.extend({ deliveryId: z.uuid().openapi({ param: { name: "deliveryId", in: "path" } }) }),
      },
      responses: { 202: jsonContent(Queued, "Queued"), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, deliveryId } = c.req.valid("param");
      return c.json(await redeliver(deps, tenantOf(c), id, deliveryId), 202);
    },
  );
}
