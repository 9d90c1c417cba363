import { z } from "@hono/zod-openapi";
import { isKnownCurrency, SUPPORTED_LOCALES } from "../../i18n/locales.js";
import { isHolidayCalendar } from "../calendar/holiday-calendar.js";
import { cleanName } from "../text/clean-name.js";

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #1a2b3c");

export const brandSchema = z
  .strictObject({
    primaryColor: hexColor,
    accentColor: hexColor,
    backgroundColor: hexColor,
    productName: z.string().overwrite(cleanName).min(1).max(60),
    theme: z
      .enum(["classic", "bold"])
      .optional()
      .describe("Card design; a new tenant gets bold unless it sends one; absent (tenants from before): classic."),
  })
  .openapi("Brand");

export const DEFAULT_BRAND = {
  primaryColor: "#1f2a44",
  accentColor: "#ff6b4a",
  backgroundColor: "#fbf8f3",
  productName: "Outcome Recap",
} as const;

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe("Where share links send new visitors; `ref` and UTM parameters are appended.");

const amount = (description: string) =>
  z.number().nonnegative().max(1e12).nullable().optional().describe(`${description} In the tenant's currency.`);

export const loopEconomicsSchema = z
  .strictObject({
    paidChannelCac: amount("What one paying customer costs through paid channels (ads, outbound)."),
    customerLtv: amount("Lifetime value of a paying customer; absent: attributed revenue per paying customer."),
    rewardPerCompletedLoop: amount("What the reward to a sharing customer costs when their recap brings a signup."),
    reviewCostPerRecap: amount("Customer-success time per generated recap, priced."),
    usdExchangeRate: z
      .number()
      .positive()
      .max(1e6)
      .nullable()
      .optional()
      .describe("Units of the tenant's currency per US dollar, to price LLM spend (recorded in USD)."),
  })
  .describe("Costs the loop analytics compare the loop with. Sending it replaces the whole object.")
  .openapi("LoopEconomics");

const rewardText = z.string().overwrite(cleanName).min(1).max(200);

export const shareRewardSchema = z
  .strictObject({ en: rewardText, et: rewardText, fi: rewardText, de: rewardText, sv: rewardText })
  .partial()
  .refine((reward) => Object.keys(reward).length > 0, "must describe the reward in at least one language")
  .nullable()
  .describe(
    "What a customer gets when their published recap brings its first signup (`loop.completed`), per language " +
      "(en, et, fi, de, sv; up to 200 characters each). Their share hub shows it in the page's language, else " +
      "the recap's, else the tenant's default. null: no reward.",
  )
  .openapi("ShareReward");
/** One text per recap language, each cleaned like a name and within `max` characters; a language may be left out. */
const localizedText = (max: number, description: string) =>
  z
    .strictObject(
      Object.fromEntries(
        SUPPORTED_LOCALES.map((locale) => [
          locale,
          z
            .string()
            .overwrite((value) => cleanName(value).replace(/\s+/g, " ").trim())
            .min(1, "must not be empty: leave the language out instead")
            .max(max)
            .optional(),
        ]),
      ) as Record<(typeof SUPPORTED_LOCALES)[number], z.ZodOptional<z.ZodString>>,
    )
    .describe(`${description} Keys: en, et, fi, de, sv. Sending it replaces the whole object.`);

/** "02-30" and "04-31" never come; "02-29" only every fourth year, so a schedule would skip years. */
function isDayOfEveryYear(monthDay: string): boolean {
  const [month, day] = monthDay.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(2027, month - 1, day)).getUTCDate() === day;
}

/** Tenant settings as a client may send them: shared by the API and the CLI. */
export const tenantSettingsSchema = z.strictObject({
  name: z.string().overwrite(cleanName).min(1).max(120),
  defaultLocale: z.enum(SUPPORTED_LOCALES),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
    .refine(isKnownCurrency, "is not a known ISO 4217 currency"),
  signupUrl: httpUrl.nullable(),
  brand: brandSchema,
  recapScheduleDay: z
    .number()
    .int()
    .min(0)
    .max(60)
    .nullable()
    .describe("Create every account's quarterly recap this many days after the quarter ends; null: off."),
  annualRecapDay: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a month and day such as "12-01"')
    .refine(isDayOfEveryYear, "is not a day every year has")
    .nullable()
    .describe(
      "Create every account's year in review (the year so far) on this day, \"MM-DD\" in the account's time zone; " +
        "on a Saturday, Sunday or (with `holidayCalendar`) a public holiday, the next working day. Null: off.",
    ),
  holidayCalendar: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be a country code such as "FI", or a region such as "DE-BY"')
    .refine(isHolidayCalendar, "is not a country or region whose public holidays are known")
    .nullable()
    .describe(
      "Whose public holidays the annual schedule skips like weekends: an ISO 3166-1 country code (FI, DE, SE, EE, US) " +
        'or an ISO 3166-2 region ("DE-BY"). Null: weekends only.',
    ),
  approvalPolicy: z
    .enum(["manual", "auto_when_clean"])
    .describe("`auto_when_clean` approves drafts whose fact-check found nothing to flag."),
  variantPolicy: z
    .enum(["A", "B", "split"])
    .describe("Copy variant of new recaps: A (rational), B (pride/identity), or a 50/50 split by account."),
  monthlyTokenBudget: z
    .number()
    .int()
    .min(0)
    .max(1_000_000_000)
    .nullable()
    .describe("LLM tokens per calendar month (UTC); past it, drafts use the template drafter. null: the default."),
  loopEconomics: loopEconomicsSchema,
  shareReward: shareRewardSchema,
  productTagline: localizedText(
    120,
    "One line saying what the product is, per language, for visitors of a share page; a language without one gets a neutral sentence naming the product.",
  ).openapi("ProductTagline"),
  productDescription: localizedText(
    400,
    "A few sentences about the product, per language, under the tagline on the share page; a language without one shows none.",
  ).openapi("ProductDescription"),
  websiteUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .describe(
      "The product's website, linked from the share page and its not-found pages; null: the signup URL's origin.",
    ),
});

export const createTenantSchema = tenantSettingsSchema.partial().extend({
  name: tenantSettingsSchema.shape.name,
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "must be 1–40 lower-case letters, digits or dashes"),
});

export type CreateTenantInput = z.infer<typeof createTenantSchema>;
export type TenantSettingsInput = z.infer<typeof tenantSettingsSchema>;
