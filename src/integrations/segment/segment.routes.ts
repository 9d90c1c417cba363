import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Deps } from "../../deps.js";
import { requireScope } from "../../platform/auth/api-key-auth.js";
import type { AppEnv } from "../../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponseDoc, problemResponses } from "../../platform/http/openapi.js";
import { ProblemError } from "../../platform/http/problem.js";
import { idempotency } from "../../platform/idempotency/idempotency.js";
import { rateLimit } from "../../platform/rate-limit/rate-limit.js";
import { ingestSegmentMessages } from "./ingest-segment.js";
import { MAX_BATCH_BYTES, MAX_MESSAGE_BYTES, segmentBatchSchema, segmentMessageSchema } from "./segment-message.js";
import { writeKeyAuth } from "./write-key-auth.js";

export const SEGMENT_PREFIX = "/integrations/segment/v1";

const security = [{ segmentWriteKey: [] }];

const RefusalSchema = z.object({
  index: z.number().int().describe("The message's position in the batch (0 for a single call)."),
  messageId: z.string().optional(),
  type: z.string().optional(),
  code: z.enum([
    "message_too_large",
    "invalid_message",
    "no_account",
    "unknown_account",
    "needs_accounts_scope",
    "invalid_trait",
  ]),
  reason: z.string(),
});

const SegmentResultSchema = z
  .object({
    success: z
      .literal(true)
      .describe("As Segment answers: the request was taken (see `rejected` for messages that were not)."),
    received: z.number().int(),
    inserted: z.number().int().describe("track messages stored as usage events."),
    duplicates: z.number().int().describe("track messages whose messageId was stored before (a resent batch)."),
    accountsCreated: z.number().int(),
    accountsUpdated: z.number().int(),
    ignored: z.number().int().describe("page, screen and alias calls, and identify calls that name no group."),
    rejected: z
      .array(RefusalSchema)
      .describe("Messages not stored, with the reason (the first 1,000); the rest of the batch was stored."),
    rejectedCount: z.number().int().describe("How many messages were rejected (`rejected` lists the first 1,000)."),
    warnings: z.array(RefusalSchema).describe("Messages applied in part (an invalid trait left out, say)."),
  })
  .openapi("SegmentResult");

/**
 * Segment answers 400 to a body over its limit (its clients do not resend a 400); so does this
 * source. The app's own body limit (1 MiB by default) has already bounded the body; this reads it
 * (Hono keeps it for the validator) rather than stacking a second body-limit stream on it.
 */
function limitBody(maxSize: number, what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const declared = Number(c.req.header("content-length") ?? 0);
    const size = declared > maxSize ? declared : (await c.req.arrayBuffer()).byteLength;
    if (size > maxSize) {
      throw new ProblemError({
        status: 400,
        code: "payload_too_large",
        detail: `The ${what} is ${size} bytes, more than ${maxSize / 1024} KB (Segment's limit): split it.`,
      });
    }
    await next();
  };
}

const CALLS = [
  { path: "/batch", operationId: "segmentBatch", summary: "Segment batch: track, group and identify messages" },
  { path: "/track", operationId: "segmentTrack", summary: "Segment track: one usage event" },
  {
    path: "/group",
    operationId: "segmentGroup",
    summary: "Segment group: a user's account, created or updated from traits",
  },
  {
    path: "/identify",
    operationId: "segmentIdentify",
    summary: "Segment identify: maps the user to an account when it names one",
  },
] as const;

const DESCRIPTION =
  "Segment's HTTP tracking API, so that `@segment/analytics-node`, RudderStack or any Segment-compatible SDK can " +
  "send here by changing the host. Authenticate with HTTP Basic: an API key holding `events:write` as the user " +
  "name (Segment's write key) and an empty password; `accounts:write` too lets group calls create and change accounts. " +
  "`track` → a usage event (event name as given, `messageId` as `event_id`, `timestamp` or `originalTimestamp` as " +
  "`occurred_at`, numeric `properties.quantity` or 1) for the account in `context.groupId`, else `properties.account_id`, " +
  "else the user's latest `group` call. Answers 200 unless the body is not JSON or too large (400), as Segment does: " +
  `messages that cannot be stored (over ${MAX_MESSAGE_BYTES / 1024} KB, malformed, for an unknown account) are listed in ` +
  "`rejected` and the rest are stored. See docs/segment.md.";

export function registerSegmentRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  // Who is calling and whether they may, before their body is read.
  app.use(`${SEGMENT_PREFIX}/*`, writeKeyAuth(deps));
  app.use(`${SEGMENT_PREFIX}/*`, rateLimit(deps));
  app.use(`${SEGMENT_PREFIX}/batch`, limitBody(MAX_BATCH_BYTES, "batch"));
  for (const call of ["track", "group", "identify"]) {
    app.use(`${SEGMENT_PREFIX}/${call}`, limitBody(MAX_MESSAGE_BYTES, "message"));
  }
  app.use(`${SEGMENT_PREFIX}/*`, idempotency(deps));

  for (const call of CALLS) {
    const isBatch = call.path === "/batch";
    app.openapi(
      createRoute({
        method: "post",
        path: `${SEGMENT_PREFIX}${call.path}`,
        operationId: call.operationId,
        tags: ["Integrations"],
        summary: call.summary,
        description: DESCRIPTION,
        security,
        middleware: [requireScope("events:write")] as const,
        request: { body: jsonBody(isBatch ? segmentBatchSchema : segmentMessageSchema) },
        responses: {
          200: jsonContent(SegmentResultSchema, "Taken; messages that were not stored are listed in `rejected`"),
          ...problemResponses(400, 401, 403, 415),
          400: problemResponseDoc(
            400,
            `Not JSON, invalid fields, or larger than ${isBatch ? MAX_BATCH_BYTES / 1024 : MAX_MESSAGE_BYTES / 1024} KB ` +
              "(`payload_too_large`; Segment answers 400 here too, so its clients do not resend it)",
          ),
          401: problemResponseDoc(
            401,
            "Missing or bad Basic auth: the write key (an API key) as user name, empty password",
          ),
        },
      }),
      async (c) => {
        const body = c.req.valid("json") as Record<string, unknown>;
        const principal = c.get("principal");
        const scopes = principal.kind === "api_key" ? principal.scopes : [];
        const input = isBatch
          ? {
              messages: (body as z.infer<typeof segmentBatchSchema>).batch,
              ...(body.context && typeof body.context === "object"
                ? { batchContext: body.context as Record<string, unknown> }
                : {}),
            }
          : { messages: [body], type: call.path.slice(1) };
        const result = await ingestSegmentMessages(
          deps,
          { tenantId: principal.tenantId, scopes },
          input,
          deps.clock.now(),
        );
        return c.json(result, 200);
      },
    );
  }

  app.openAPIRegistry.registerComponent("securitySchemes", "segmentWriteKey", {
    type: "http",
    scheme: "basic",
    description: 'Segment\'s write key: an API key as the user name, an empty password (`base64("ork_…:")`).',
  });
}
