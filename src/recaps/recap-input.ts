import { z } from "@hono/zod-openapi";
import { SUPPORTED_LOCALES } from "../i18n/locales.js";
import { externalIdSchema } from "../usage/account-input.js";
import { periodLabelSchema } from "../usage/period-label.js";
import { metricKeySchema } from "../usage/value-model.js";

export const generateRecapSchema = z
  .strictObject({
    account: externalIdSchema.describe("The account's external id."),
    period: periodLabelSchema
      .optional()
      .describe(
        'A quarter (2026-Q3); a year (2026) with `kind: "annual"`: the year to date while it runs; or, with ' +
          '`kind: "milestone"`, a trailing window: "P90D/2026-10-02" (the 90 days up to that day) or ' +
          '"2026-09-14/2026-10-02" (since you started). Defaults to the last full quarter in the account\'s time ' +
          "zone; for an annual recap, to this year so far (last year during January to March).",
      ),
    locale: z.enum(SUPPORTED_LOCALES).optional().describe("Defaults to the account's, then the tenant's locale."),
    kind: z.enum(["quarterly", "milestone", "annual"]).default("quarterly"),
    metrics: z
      .array(
        z.strictObject({
          key: metricKeySchema,
          value: z.number().min(0).max(1e12),
          previousValue: z.number().min(0).max(1e12).nullable().optional(),
        }),
      )
      .max(50)
      .optional()
      .describe("Totals the backend already has, in each metric's unit; they replace the event aggregates."),
  })
  .openapi("GenerateRecapRequest");

export type GenerateRecapInput = z.infer<typeof generateRecapSchema>;
