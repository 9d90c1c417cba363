import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonContent, problemResponses } from "../platform/http/openapi.js";
import { validationFailed } from "../platform/http/problem.js";
import { LOOP_GROUPINGS, type LoopAnalyticsQuery, loopAnalytics } from "./loop-analytics.js";
import { LOOP_VERDICTS, MIN_PUBLISHED_FOR_VERDICT } from "./loop-metrics.js";

export const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 91;
export const MAX_RANGE_DAYS = 731;

const stagesSchema = z
  .object({
    generated: z.number().int(),
    approved: z.number().int(),
    published: z.number().int(),
    shared: z.number().int().describe("Published recaps with at least one human click on a share link."),
    visitors: z.number().int(),
    signups: z.number().int(),
    activated: z.number().int(),
    paid: z.number().int(),
  })
  .openapi("LoopStages");

const velocitySchema = z.object({
  completedLoops: z.number().int(),
  medianHours: z.number().nullable(),
  p90Hours: z.number().nullable(),
});

/** A two-sided 95 % confidence interval; null when there is no data (no published recaps). */
const intervalSchema = z.object({ low: z.number(), high: z.number() }).nullable();

const kpisSchema = z
  .object({
    publishedRecaps: z.number().int(),
    completedLoops: z.number().int(),
    conversionRate: z.number().nullable().describe("Published recaps with at least one attributed signup, as a share."),
    conversionRateInterval: intervalSchema.describe("Wilson 95 % score interval of `conversionRate`."),
    velocity: velocitySchema.describe("Hours from first publication to the first attributed signup."),
    multiplier: z.number().nullable().describe("Attributed signups per published recap."),
    multiplierInterval: intervalSchema.describe(
      "Exact (Garwood) Poisson 95 % interval of `multiplier`: the interval of the summed signups ÷ published recaps.",
    ),
    signupsPerCompletedLoop: z.number().nullable(),
    verdict: z
      .enum(LOOP_VERDICTS)
      .describe(
        `\`too_early\` with fewer than ${MIN_PUBLISHED_FOR_VERDICT} published recaps or while \`multiplierInterval\` contains 1; ` +
          "`below_one` / `self_sustaining` when the interval lies entirely below / above 1.",
      ),
    statement: z.string().describe("The verdict and its reason in one plain sentence."),
  })
  .openapi("LoopKpis");

const summarySchema = z.object({
  stages: stagesSchema,
  humanClicks: z.number().int(),
  botClicks: z.number().int().describe("Stored and flagged, never counted as visitors."),
  shareStarts: z.number().int().describe("LinkedInBot fetched a share page: someone started a post."),
  kpis: kpisSchema,
});

const sampleSchema = z.object({ successes: z.number().int(), trials: z.number().int(), rate: z.number().nullable() });

const LoopAnalyticsSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string() }),
    totals: summarySchema,
    groups: z.array(summarySchema.extend({ groupBy: z.enum(LOOP_GROUPINGS), key: z.string().nullable() })).nullable(),
    trend: z.array(
      z.object({
        weekStart: z.string(),
        publishedRecaps: z.number().int(),
        completedLoops: z.number().int(),
        conversionRate: z.number().nullable(),
        multiplier: z.number().nullable(),
        velocity: velocitySchema,
      }),
    ),
    variants: z.object({
      a: sampleSchema,
      b: sampleSchema,
      difference: z.number().nullable(),
      z: z.number().nullable(),
      pValue: z.number().nullable(),
      significant: z.boolean(),
      sampleSizePerVariant: z.number().int().nullable(),
      additionalNeeded: z.object({ a: z.number().int().nullable(), b: z.number().int().nullable() }),
      statement: z.string(),
    }),
    economics: z.object({
      currency: z.string(),
      llmSpendUsd: z.number(),
      llmSpendPerRecapUsd: z.number().nullable(),
      llmSpend: z.number().nullable(),
      reviewCost: z.number().nullable(),
      rewardCost: z.number().nullable(),
      loopCost: z.number().nullable(),
      costPerSignup: z.number().nullable(),
      attributedRevenue: z.number(),
      loopCac: z.number().nullable(),
      paidChannelCac: z.number().nullable(),
      loopCacToPaidCac: z.number().nullable(),
      ltv: z.number().nullable(),
      ltvSource: z.enum(["configured", "attributed_revenue"]).nullable(),
      ltvToLoopCac: z.number().nullable(),
      ltvToPaidCac: z.number().nullable(),
      missing: z.array(z.string()).describe("Tenant settings (`loopEconomics`) the report needed but did not have."),
    }),
    erasedRecapsIncluded: z.number().int(),
    demoRecapsIncluded: z
      .number()
      .int()
      .describe("Sample recaps the demo seed made on a fresh start (origin `demo`), included in every figure."),
  })
  .openapi("LoopAnalytics");

const querySchema = z.strictObject({
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(`Cohort start: recaps generated from this time (default: ${DEFAULT_RANGE_DAYS} days before \`to\`).`),
  to: z.iso.datetime({ offset: true }).optional().describe("Cohort end, exclusive (default: now)."),
  groupBy: z.enum(LOOP_GROUPINGS).optional().describe("`template` is the recap kind (quarterly, milestone)."),
});

/** Resolves the range's defaults and refuses ranges that are empty, reversed or over two years. */
export function resolveRange(input: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const to = input.to ? new Date(input.to) : now;
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) throw validationFailed([{ path: "from", message: "must be before to" }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw validationFailed([{ path: "from", message: `the range may span at most ${MAX_RANGE_DAYS} days` }]);
  }
  return { from, to };
}

export function registerLoopAnalyticsRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/analytics/loop",
      operationId: "getLoopAnalytics",
      tags: ["Analytics"],
      summary: "The growth loop: funnel, conversion rate, velocity, multiplier, A/B test and economics",
      description:
        "Measures the cohort of recaps generated in [from, to): how many were approved, published and shared, " +
        "the visitors and conversions their links brought (bots excluded), the loop KPIs overall, by group and by " +
        "publication week, the variants' two-proportion test, and the loop's cost against the paid-channel CAC " +
        "configured in the tenant's `loopEconomics`.",
      security: [{ bearerAuth: [] }],
      middleware: [requireScope("analytics:read")] as const,
      request: { query: querySchema },
      responses: {
        200: jsonContent(LoopAnalyticsSchema, "The loop's figures"),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { tenantId } = c.get("principal");
      const input = c.req.valid("query");
      const query: LoopAnalyticsQuery = { ...resolveRange(input, deps.clock.now()), groupBy: input.groupBy };
      return c.json(await loopAnalytics(deps, tenantId, query), 200);
    },
  );
}
