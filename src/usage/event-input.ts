import { z } from "@hono/zod-openapi";
import { valueNestsDeeperThan } from "../platform/http/json-depth.js";
import { externalIdSchema } from "./account-input.js";

export const MAX_EVENTS_PER_BATCH = 10_000;
/** Events further than this from now are refused as clock or unit mistakes. */
export const MAX_EVENT_AGE_MS = 5 * 365.25 * 24 * 3_600_000;
const MAX_PROPERTIES_BYTES = 8_192;
/** Checked before the size, so JSON.stringify never meets a value deep enough to overflow the stack. */
export const MAX_PROPERTIES_DEPTH = 32;

export const usageEventSchema = z
  .strictObject({
    account: externalIdSchema.describe("The account's external id (create it first with PUT /v1/accounts/{id})."),
    event: z
      .string()
      .min(1)
      .max(200)
      // Single inner spaces too: Segment-style names ("Report Exported") are stored as they are sent.
      .regex(/^[\w.:\-/]+(?: [\w.:\-/]+)*$/, "may hold letters, digits, single inner spaces and . _ : - / only")
      .openapi({ example: "automation.run" }),
    quantity: z.number().min(0).max(1e12).default(1).describe("Finite and not negative; defaults to 1."),
    occurred_at: z.iso.datetime({ offset: true }).describe("ISO 8601 with a time zone, within ±5 years of now."),
    event_id: z.string().min(1).max(200).optional().describe("Your id for this event: a re-sent event is stored once."),
    properties: z
      .record(z.string().max(100), z.unknown())
      .superRefine((value, context) => {
        if (valueNestsDeeperThan(value, MAX_PROPERTIES_DEPTH)) {
          context.addIssue({ code: "custom", message: `may nest at most ${MAX_PROPERTIES_DEPTH} levels deep` });
        } else if (JSON.stringify(value).length > MAX_PROPERTIES_BYTES) {
          context.addIssue({ code: "custom", message: `must be at most ${MAX_PROPERTIES_BYTES} bytes as JSON` });
        }
      })
      .describe(
        `Free-form JSON, at most ${MAX_PROPERTIES_BYTES} bytes and ${MAX_PROPERTIES_DEPTH} levels deep; ` +
          "the values of the properties that `distinct` metrics count are rolled up.",
      )
      .optional(),
  })
  .openapi("UsageEvent");

export const eventBatchSchema = z
  .strictObject({ events: z.array(usageEventSchema).min(1).max(MAX_EVENTS_PER_BATCH) })
  .openapi("UsageEventBatch");

export type UsageEventInput = z.infer<typeof usageEventSchema>;
