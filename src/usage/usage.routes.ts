import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { bodyMediaTypes } from "../platform/http/body-media-types.js";
import { jsonBody, jsonContent, problemResponseDoc, problemResponses } from "../platform/http/openapi.js";
import { cleanName } from "../platform/text/clean-name.js";
import { accountInputSchema, externalIdSchema } from "./account-input.js";
import { type Account, getAccountByExternalId, listAccounts, upsertAccount } from "./accounts.js";
import { eventBatchSchema, MAX_EVENTS_PER_BATCH } from "./event-input.js";
import { ingestEvents, parseNdjson, validateBatch } from "./ingestion.js";

/** The event batch comes as one JSON object, or as NDJSON (one event per line). */
const EVENT_MEDIA_TYPES = ["application/json", "application/x-ndjson"];

const security = [{ bearerAuth: [] }];

const AccountSchema = z
  .object({
    id: z.uuid(),
    externalId: z.string(),
    name: z.string(),
    locale: z.string().nullable(),
    currency: z.string().nullable(),
    timeZone: z.string(),
    segment: z.string().nullable(),
    seats: z.number().nullable(),
    subscriptionPrice: z.number().nullable(),
    subscriptionPeriod: z.enum(["month", "quarter", "year"]).nullable(),
    consent: z.object({ publicRecap: z.boolean(), peerComparison: z.boolean() }),
    contactEmail: z.string().nullable(),
    contactConsent: z.object({ consentedAt: z.string(), source: z.string() }).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Account");

function accountJson(account: Account) {
  const { contactConsentedAt, contactConsentSource, ...rest } = account;
  return {
    ...rest,
    // Names stored before they were cleaned where they come in are cleaned on the way out.
    name: cleanName(account.name),
    tenantId: undefined,
    contactConsent: contactConsentedAt
      ? { consentedAt: contactConsentedAt.toISOString(), source: contactConsentSource ?? "" }
      : null,
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  };
}

const externalIdParam = z.object({
  externalId: externalIdSchema.openapi({ param: { name: "externalId", in: "path" } }),
});

export function registerUsageRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "put",
      path: "/v1/accounts/{externalId}",
      operationId: "upsertAccount",
      tags: ["Usage"],
      summary: "Create or replace an account (one of the tenant's customers)",
      security,
      middleware: [requireScope("accounts:write")] as const,
      request: { params: externalIdParam, body: jsonBody(accountInputSchema) },
      responses: {
        200: jsonContent(AccountSchema, "Replaced"),
        201: jsonContent(AccountSchema, "Created"),
        ...problemResponses(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const { externalId } = c.req.valid("param");
      const { account, created } = await upsertAccount(
        deps.db,
        c.get("principal").tenantId,
        externalId,
        c.req.valid("json"),
      );
      return c.json(accountJson(account), created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/accounts/{externalId}",
      operationId: "getAccount",
      tags: ["Usage"],
      summary: "One account",
      security,
      middleware: [requireScope("accounts:write", "recaps:read")] as const,
      request: { params: externalIdParam },
      responses: { 200: jsonContent(AccountSchema, "The account"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const account = await getAccountByExternalId(
        deps.db,
        c.get("principal").tenantId,
        c.req.valid("param").externalId,
      );
      return c.json(accountJson(account), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/accounts",
      operationId: "listAccounts",
      tags: ["Usage"],
      summary: "The tenant's accounts, by external id",
      security,
      middleware: [requireScope("accounts:write", "recaps:read")] as const,
      request: {
        query: z.object({
          after: externalIdSchema
            .optional()
            .describe("Return accounts after this external id (the previous page's `next`)."),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: jsonContent(z.object({ data: z.array(AccountSchema), next: z.string().nullable() }), "A page of accounts"),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { after, limit } = c.req.valid("query");
      const rows = await listAccounts(deps.db, c.get("principal").tenantId, { ...(after ? { after } : {}), limit });
      const next = rows.length === limit ? (rows.at(-1)?.externalId ?? null) : null;
      return c.json({ data: rows.map(accountJson), next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/events",
      operationId: "ingestEvents",
      tags: ["Usage"],
      summary: "Send a batch of up to 10,000 usage events (JSON or NDJSON)",
      description:
        "All or nothing: one problem+json lists every bad event by its index, and nothing from a refused batch is stored. " +
        "An `event_id` seen before is skipped and counted in `duplicates`, so a batch can be re-sent safely. " +
        "NDJSON bodies (`application/x-ndjson`) carry one event object per line.\n\n" +
        `**Limits.** At most ${MAX_EVENTS_PER_BATCH.toLocaleString("en")} events a batch (more is 400 ` +
        `\`validation_failed\`) and ${deps.config.eventsBodyLimitBytes.toLocaleString("en")} bytes a body ` +
        "(more is 413 `payload_too_large`; every other operation takes " +
        `${deps.config.bodyLimitBytes.toLocaleString("en")} bytes). A batch counts as one request against the ` +
        "API key's rate limit, whatever its size: send large batches rather than many small ones.",
      security,
      middleware: [requireScope("events:write"), bodyMediaTypes(...EVENT_MEDIA_TYPES)] as const,
      request: {
        // Not `required`: that would make the JSON validator refuse NDJSON; a missing body is
        // refused in the handler instead.
        body: {
          content: {
            "application/json": { schema: eventBatchSchema },
            "application/x-ndjson": { schema: { type: "string", description: "One UsageEvent JSON object per line." } },
          },
        },
      },
      responses: {
        200: jsonContent(
          z.object({ received: z.number().int(), inserted: z.number().int(), duplicates: z.number().int() }),
          "Stored",
        ),
        ...problemResponses(400, 401, 403, 413, 415),
        415: problemResponseDoc(415, `The body is neither ${EVENT_MEDIA_TYPES.join(" nor ")}`),
        413: problemResponseDoc(
          413,
          `The body is larger than ${deps.config.eventsBodyLimitBytes.toLocaleString("en")} bytes: split the batch`,
        ),
      },
    }),
    async (c) => {
      const isNdjson = /^application\/(x-)?ndjson/i.test(c.req.header("content-type") ?? "");
      // JSON bodies were validated by the route's schema; NDJSON is parsed and validated here.
      const events = isNdjson
        ? validateBatch(parseNdjson(await c.req.text()))
        : ((c.req.valid as (target: "json") => z.infer<typeof eventBatchSchema> | undefined)("json")?.events ??
          validateBatch(undefined));
      const result = await ingestEvents(deps, c.get("principal").tenantId, events, deps.clock.now());
      return c.json(result, 200);
    },
  );
}
