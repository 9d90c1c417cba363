import { z } from "@hono/zod-openapi";
import { isKnownCurrency, SUPPORTED_LOCALES } from "../i18n/locales.js";
import { cleanName } from "../platform/text/clean-name.js";
import { describeCharacters, undrawableCharacters } from "../rendering/drawable-text.js";

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const externalIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "must be visible ASCII without spaces")
  .openapi({ example: "acct_4821" });

/**
 * A name as the cards will print it: cleaned once here (see clean-name.ts), and refused when it
 * has characters the cards cannot draw (right-to-left scripts, characters no font has), with
 * the characters named.
 */
export const printableNameSchema = (max: number) =>
  z
    .string()
    .overwrite(cleanName)
    .min(1)
    .max(max)
    .superRefine((name, context) => {
      const chars = undrawableCharacters(name);
      if (chars.length > 0)
        context.addIssue({
          code: "custom",
          message: `has characters the recap cards cannot draw: ${describeCharacters(chars)}`,
          params: { characters: chars },
        });
    });

export const accountInputSchema = z
  .strictObject({
    name: printableNameSchema(200),
    locale: z.enum(SUPPORTED_LOCALES).nullable().optional().describe("Defaults to the tenant's locale."),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
      .refine(isKnownCurrency, "is not a known ISO 4217 currency")
      .nullable()
      .optional(),
    timeZone: z.string().refine(isTimeZone, "is not an IANA time zone such as Europe/Tallinn").default("UTC"),
    segment: z.string().trim().min(1).max(100).nullable().optional().describe("Peer group for percentiles."),
    seats: z.number().int().min(0).max(10_000_000).nullable().optional(),
    subscriptionPrice: z.number().min(0).max(1e11).nullable().optional().describe("Price per period, for ROI."),
    subscriptionPeriod: z.enum(["month", "quarter", "year"]).nullable().optional(),
    consent: z
      .strictObject({ publicRecap: z.boolean(), peerComparison: z.boolean() })
      .default({ publicRecap: true, peerComparison: true }),
  })
  .refine((account) => (account.subscriptionPrice == null) === (account.subscriptionPeriod == null), {
    message: "subscriptionPrice and subscriptionPeriod go together",
    path: ["subscriptionPeriod"],
  })
  .openapi("AccountInput");

export type AccountInput = z.infer<typeof accountInputSchema>;
