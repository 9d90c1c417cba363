import { z } from "zod";
import { isKnownCurrency, SUPPORTED_LOCALES } from "../i18n/locales.js";
import { type FieldError, toFieldErrors } from "../platform/errors.js";
import { brandSchema } from "../platform/tenancy/tenant-input.js";
import { cleanName } from "../platform/text/clean-name.js";
import { isTimeZone, printableNameSchema } from "./account-input.js";
import { usageEventSchema } from "./event-input.js";
import { isCalendarDate, periodLabelSchema } from "./period-label.js";
import { metricInputSchema, metricKeySchema } from "./value-model.js";

/**
 * A usage file: one account's usage for `outcome-recap render`, which builds the recap without a
 * server or database (docs/render-cli.md). Its shape, with `?` for optional fields:
 *
 * {
 *   "product": { "name": "Northwind Flows", "company": "Northwind Labs Oy",
 *                "brand"?: { primaryColor?, accentColor?, backgroundColor?, productName?, theme?: "classic" | "bold" } },
 *   "account": { "name": "Kide Analytics Oy", "locale"?: "fi", "currency": "EUR", "timeZone": "Europe/Helsinki",
 *                "segment"?: "growth", "subscription"?: { "price": 790, "period": "month" | "quarter" | "year" } },
 *   "period": "2026-Q3",   (or a year, "2026", or a trailing window, "P90D/2026-10-02": usage/period-label.ts)
 *   "asOf"?: "2026-12-06T12:00:00+02:00",   (when the recap is made; default: now)
 *   "valueModel"?: [{ "key": "hours_saved", ...the fields of PUT /v1/value-model/metrics/{key} }],
 *   "events"?: [{ "event": "automation.run", "occurred_at": "2026-07-01T09:12:00+03:00", "quantity"?: 1,
 *                 "event_id"?: "…", "properties"?: { "user_id": "u7" } }],
 *   "daily"?:  [{ "date": "2026-07-01", "event": "automation.run", "count": 212, "sum"?: 212, "max"?: 1,
 *                 "distinct"?: { "user_id": ["u1", "u2"] } }]
 * }
 *
 * `events` are the API's usage events without `account`. A `daily` row totals one event on one
 * local date in the account's time zone: `count` events whose quantities add up to `sum` (default:
 * `count`, every quantity 1) with the largest being `max` (default 1 when `sum` is absent), and
 * the values seen that day of the properties that `distinct` metrics count. Both may be given;
 * they add up. Without `valueModel` the default workflow-automation model applies.
 */

const MAX_EVENTS = 1_000_000;
const MAX_DAILY_ROWS = 200_000;
const MAX_METRICS = 50;

const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
  .refine(isKnownCurrency, "is not a known ISO 4217 currency");

/** Re-exported where the usage file's tests have always found it. */
export { isCalendarDate };

export const usageProductSchema = z.strictObject({
  name: z.string().overwrite(cleanName).min(1).max(60).describe("The product the recap is about."),
  company: z.string().overwrite(cleanName).min(1).max(120).describe("The company that sells it."),
  brand: brandSchema.partial().optional().describe("Card colours, product name and theme; the rest is the default."),
});

export const usageAccountSchema = z.strictObject({
  name: printableNameSchema(200),
  locale: z.enum(SUPPORTED_LOCALES).optional().describe("The recap's language unless --locale says otherwise."),
  currency: currencySchema,
  timeZone: z.string().refine(isTimeZone, "is not an IANA time zone such as Europe/Tallinn"),
  segment: z.string().trim().min(1).max(100).optional().describe("Kept for the API's sake: one file has no peers."),
  subscription: z
    .strictObject({
      price: z.number().min(0).max(1e11).describe("Price per period in the account's currency."),
      period: z.enum(["month", "quarter", "year"]),
    })
    .optional()
    .describe("For the return-on-subscription fact."),
});

export const usageMetricSchema = metricInputSchema.safeExtend({ key: metricKeySchema });

/** A usage event as the API takes it, without `account`: the file is about one account. */
export const fileEventSchema = usageEventSchema.omit({ account: true });

export const dailyRowSchema = z
  .strictObject({
    date: z.string().refine(isCalendarDate, "must be a date such as 2026-07-01 (local to the account's time zone)"),
    event: usageEventSchema.shape.event,
    count: z.number().int().min(0).max(1e12).describe("Events that day; a row with 0 adds nothing."),
    sum: z.number().min(0).max(1e15).optional().describe("Sum of their quantities; default: count."),
    max: z.number().min(0).max(1e12).optional().describe("Largest quantity; default 1 when sum is absent."),
    distinct: z
      .record(z.string().min(1).max(100), z.array(z.string().max(1000)).max(100_000))
      .optional()
      .describe("Values seen that day, per property, for distinct metrics."),
  })
  .refine((row) => row.sum !== undefined || row.max === undefined || row.max <= 1, {
    message: "give sum too when max is above 1 (without sum, every quantity counts as 1)",
    path: ["sum"],
  })
  .refine((row) => row.sum === undefined || row.max === undefined || row.max <= row.sum, {
    message: "cannot be above sum",
    path: ["max"],
  })
  .refine(
    (row) => row.count > 0 || (!row.sum && !row.max && !Object.values(row.distinct ?? {}).some((v) => v.length)),
    {
      message: "a row with count 0 has no sum, max or distinct values",
      path: ["count"],
    },
  );

export const usageFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Ignored: lets an editor find a schema."),
    product: usageProductSchema,
    account: usageAccountSchema,
    period: periodLabelSchema.describe(
      'The recap\'s period: a quarter ("2026-Q3"), a year ("2026", year to date while it runs) or a trailing ' +
        'window ("P90D/2026-10-02", "2026-09-14/2026-10-02"); the span before it is the comparison.',
    ),
    asOf: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("When the recap is made (default: now): a running year or a window ending today runs to it."),
    valueModel: z.array(usageMetricSchema).min(1).max(MAX_METRICS).optional(),
    events: z.array(fileEventSchema).max(MAX_EVENTS).optional(),
    daily: z.array(dailyRowSchema).max(MAX_DAILY_ROWS).optional(),
  })
  .superRefine((file, ctx) => {
    const keys = new Map<string, number>();
    for (const [index, metric] of (file.valueModel ?? []).entries()) {
      const first = keys.get(metric.key);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["valueModel", index, "key"],
          message: `repeats valueModel[${first}].key`,
        });
      else keys.set(metric.key, index);
    }
    const eventIds = new Map<string, number>();
    for (const [index, event] of (file.events ?? []).entries()) {
      if (event.event_id === undefined) continue;
      const first = eventIds.get(event.event_id);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["events", index, "event_id"],
          message: `repeats events[${first}].event_id`,
        });
      else eventIds.set(event.event_id, index);
    }
    if (file.events === undefined && file.daily === undefined)
      ctx.addIssue({ code: "custom", path: ["events"], message: "give usage as events, daily rows or both" });
    // A max metric cannot be computed from a day whose largest quantity is unknown.
    const maxEvents = new Set(
      (file.valueModel ?? []).filter((metric) => metric.aggregation === "max").map((metric) => metric.event),
    );
    for (const [index, row] of (file.daily ?? []).entries()) {
      if (maxEvents.has(row.event) && row.sum !== undefined && row.max === undefined && row.count > 0)
        ctx.addIssue({
          code: "custom",
          path: ["daily", index, "max"],
          message: `is required: a max metric reads "${row.event}" and this row has a sum`,
        });
    }
  });

export type UsageFile = z.infer<typeof usageFileSchema>;
export type UsageFileInput = z.input<typeof usageFileSchema>;
export type DailyRow = z.infer<typeof dailyRowSchema>;
export type FileEvent = z.infer<typeof fileEventSchema>;

/** A usage file that is not JSON or does not fit the schema; `errors` name the JSON paths. */
export class UsageFileError extends Error {
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = "UsageFileError";
  }
}

/** Validates a parsed usage file; every problem is listed with its path ("daily[3].date"). */
export function parseUsageFile(value: unknown): UsageFile {
  const parsed = usageFileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = toFieldErrors(parsed.error.issues);
  const shown = errors.slice(0, 20).map((error) => `  ${error.path}: ${error.message}`);
  if (errors.length > shown.length) shown.push(`  … and ${errors.length - shown.length} more`);
  const count = `${errors.length} problem${errors.length === 1 ? "" : "s"}`;
  throw new UsageFileError(`the usage file has ${count}:\n${shown.join("\n")}`, errors);
}

/** Parses the text of a usage file (JSON), then validates it. */
export function parseUsageFileText(text: string): UsageFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageFileError(`the usage file is not valid JSON: ${(error as Error).message}`);
  }
  return parseUsageFile(value);
}
