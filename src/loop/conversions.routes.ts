import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../platform/http/openapi.js";
import { conflict, ProblemError, validationFailed } from "../platform/http/problem.js";
import { recaps } from "../recaps/recaps.schema.js";
import { shareLinks } from "../sharing/sharing.schema.js";
import { emitWebhookEvent } from "../webhooks/emit.js";
import { CONVERSION_TYPES, conversions, loopCompletions } from "./loop.schema.js";

const security = [{ bearerAuth: [] }];
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
const FUTURE_LIMIT_MS = 5 * 60 * 1000;
const PAST_LIMIT_MS = 365 * 24 * 60 * 60 * 1000;

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

type ConversionInput = z.infer<typeof conversionInputSchema>;

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

type Conversion = typeof conversions.$inferSelect;

const conversionJson = (row: Conversion) => ({
  id: row.id,
  ref: row.ref,
  recapId: row.recapId,
  type: row.type,
  externalUserId: row.externalUserId,
  value: row.value,
  currency: row.currency,
  occurredAt: row.occurredAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
});

/** A resend matches the stored conversion when every field it sends is the same (occurredAt only if sent). */
function sameConversion(stored: Conversion, input: ConversionInput, occurredAt: Date | null): boolean {
  return (
    stored.ref === input.ref &&
    stored.value === (input.value ?? null) &&
    stored.currency === (input.currency ?? null) &&
    (occurredAt === null || stored.occurredAt.getTime() === occurredAt.getTime())
  );
}

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
      const { tenantId } = c.get("principal");
      const input = c.req.valid("json");
      const now = deps.clock.now();
      const sentAt = input.occurredAt ? new Date(input.occurredAt) : null;
      if (sentAt && sentAt.getTime() > now.getTime() + FUTURE_LIMIT_MS) {
        throw validationFailed([{ path: "occurredAt", message: "is more than 5 minutes in the future" }]);
      }
      if (sentAt && sentAt.getTime() < now.getTime() - PAST_LIMIT_MS) {
        throw validationFailed([{ path: "occurredAt", message: "is more than a year ago" }]);
      }

      const [link] = await deps.db
        .select()
        .from(shareLinks)
        .where(and(eq(shareLinks.code, input.ref), eq(shareLinks.tenantId, tenantId)));
      if (!link) {
        throw new ProblemError({
          status: 422,
          code: "validation_failed",
          detail: "The ref is not a share link of this tenant.",
          errors: [{ path: "ref", message: "is not a known share link" }],
        });
      }

      const result = await deps.db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(conversions)
          .values({
            tenantId,
            ref: link.code,
            recapId: link.recapId,
            type: input.type,
            externalUserId: input.externalUserId,
            value: input.value ?? null,
            currency: input.currency ?? null,
            occurredAt: sentAt ?? now,
          })
          .onConflictDoNothing({ target: [conversions.tenantId, conversions.type, conversions.externalUserId] })
          .returning();
        if (!inserted) return { created: false as const };

        if (inserted.type === "signup" && inserted.recapId) {
          // The insert-once marker: a racing first signup waits on this row, then inserts nothing.
          const [marker] = await tx
            .insert(loopCompletions)
            .values({ recapId: inserted.recapId, tenantId, conversionId: inserted.id })
            .onConflictDoNothing({ target: loopCompletions.recapId })
            .returning();
          if (marker) {
            const [recap] = await tx
              .select({ accountId: recaps.accountId })
              .from(recaps)
              .where(eq(recaps.id, inserted.recapId));
            await emitWebhookEvent(deps, tx, tenantId, "loop.completed", {
              recapId: inserted.recapId,
              accountId: recap?.accountId ?? null,
              shareLinkCode: link.code,
              channel: link.channel,
              externalUserId: inserted.externalUserId,
              occurredAt: inserted.occurredAt.toISOString(),
            });
          }
        }
        return { created: true as const, row: inserted };
      });
      if (result.created) return c.json(conversionJson(result.row), 201);

      const [stored] = await deps.db
        .select()
        .from(conversions)
        .where(
          and(
            eq(conversions.tenantId, tenantId),
            eq(conversions.type, input.type),
            eq(conversions.externalUserId, input.externalUserId),
          ),
        );
      if (!stored) throw new Error("a conflicting conversion disappeared");
      if (!sameConversion(stored, input, sentAt)) {
        throw conflict(`A ${input.type} conversion for this externalUserId was already recorded with other fields.`, {
          conversion: conversionJson(stored),
        });
      }
      return c.json(conversionJson(stored), 200);
    },
  );
}
