import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../platform/http/openapi.js";
import { CONVERSION_TYPES } from "./loop.schema.js";
import { conversionJson, recordConversion } from "./record-conversion.js";

const security = [{ bearerAuth: [] }];
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

const conversionInputSchema = z
  .strictObject({
    ref: z.string().min(1).max(100).describe("The share link's code (the `ref` parameter of the signup URL)."),
    type: z.enum(CONVERSION_TYPES),
    externalUserId: z.string().trim().min(1).max(200).describe("The new user's id in the tenant's product."),
    value: z
      .number()
      .nonnegative()
      .max(1e13)
      .refine((value) => Math.abs(value * 1e4 - Math.round(value * 1e4)) < 1e-6, "has more than 4 decimals")
      .optional(),
    currency: z
      .string()
      .refine((code) => /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code), "is not an ISO 4217 currency code")
      .optional(),
    occurredAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("Defaults to now; at most 5 minutes in the future and 1 year in the past."),
  })
  .superRefine((input, ctx) => {
    if (input.value !== undefined && input.currency === undefined) {
      ctx.addIssue({ code: "custom", path: ["currency"], message: "is required when value is given" });
    }
    if (input.value === undefined && input.currency !== undefined) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "is required when currency is given" });
    }
  })
  .openapi("ConversionInput");

const ConversionSchema = z
  .object({
    id: z.uuid(),
    ref: z.string(),
    recapId: z.uuid().nullable(),
    type: z.enum(CONVERSION_TYPES),
    externalUserId: z.string(),
    value: z.number().nullable(),
    currency: z.string().nullable(),
    occurredAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("Conversion");

/** Conversions reported by the tenant's backend for users who signed up through a share link. */
export function registerConversionRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/conversions",
      operationId: "recordConversion",
      tags: ["Conversions"],
      summary: "Record a signup, activation or payment that came through a share link (idempotent)",
      description:
        "One conversion per (type, externalUserId): the same body again answers 200 with the stored one, a " +
        "different body 409. A recap's first signup emits `loop.completed`. An unknown `ref` (or another " +
        "tenant's) is a 422.",
      security,
      middleware: [requireScope("conversions:write")] as const,
      request: { body: jsonBody(conversionInputSchema) },
      responses: {
        200: jsonContent(ConversionSchema, "The conversion was already recorded with the same fields"),
        201: jsonContent(ConversionSchema, "The conversion"),
        ...problemResponses(400, 401, 403, 409, 415, 422),
      },
    }),
    async (c) => {
      const result = await recordConversion(deps, {
        tenantId: c.get("principal").tenantId,
        input: c.req.valid("json"),
      });
      return c.json(conversionJson(result.conversion), result.created ? 201 : 200);
    },
  );
}
