import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../i18n/locales.js";
import type { DbExecutor } from "../platform/db/client.js";
import { notFound } from "../platform/errors.js";
import type { DigestMetric } from "./digest.types.js";
import { ROLLUP_REBUILD_JOB } from "./rollups.js";
import { type MetricLabels, metricDefinitions } from "./usage.schema.js";

export type MetricDefinition = typeof metricDefinitions.$inferSelect;

export const OUTCOME_KINDS = ["time_saved", "money", "risk_reduced", "speed_gained", "adoption"] as const;
export const AGGREGATIONS = ["sum", "count", "distinct", "max", "average"] as const;
export const METRIC_UNITS = ["minutes", "hours", "days", "count", "money", "percent"] as const;

export const metricKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, "must be lower-case letters, digits and _ (start with a letter)")
  .openapi({ example: "hours_saved" });

const labelText = z.string().trim().min(1).max(120);

/** `{ "fi": "Automatisoitu manuaalinen työ", "de": "…" }`: every supported locale optional, no other key. */
export const metricLabelsSchema = z
  .strictObject(
    Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, labelText.optional()])) as Record<
      SupportedLocale,
      z.ZodOptional<typeof labelText>
    >,
  )
  .describe("The metric's name per language, as cards and pages print it; a locale left out gets the default wording.")
  .openapi("MetricLabels", { example: { fi: "Automatisoitu manuaalinen työ", de: "Automatisierte manuelle Arbeit" } });

export const metricInputSchema = z
  .strictObject({
    label: z.string().trim().min(1).max(120).describe("For reviewers; the copy uses localized wording."),
    labels: metricLabelsSchema.optional(),
    event: z.string().min(1).max(200).describe("The product event this metric reads."),
    outcomeKind: z.enum(OUTCOME_KINDS),
    unit: z.enum(METRIC_UNITS).describe("Unit of aggregate × multiplier."),
    aggregation: z.enum(AGGREGATIONS),
    distinctProperty: z.string().min(1).max(100).nullable().optional(),
    multiplier: z.number().positive().max(1e9).default(1).describe('E.g. 3 for "3 minutes saved per run".'),
    hourlyRate: z.number().positive().max(1e6).nullable().optional().describe("Turns time into money."),
    higherIsBetter: z.boolean().default(true),
    priority: z.number().int().min(0).max(1000).default(100).describe("Lower shows first when scores tie."),
  })
  .refine((metric) => (metric.aggregation === "distinct") === Boolean(metric.distinctProperty), {
    message: "distinctProperty is required with aggregation distinct, and only then",
    path: ["distinctProperty"],
  })
  .refine((metric) => !metric.hourlyRate || ["minutes", "hours", "days"].includes(metric.unit), {
    message: "hourlyRate applies to time units only",
    path: ["hourlyRate"],
  })
  .openapi("MetricInput");

export type MetricInput = z.infer<typeof metricInputSchema>;

/** The definition without its bookkeeping columns: what the digest and the API work with. */
export function metricFields(metric: MetricDefinition): DigestMetric & { labels: MetricLabels } {
  return {
    key: metric.key,
    label: metric.label,
    labels: metric.labels,
    event: metric.event,
    outcomeKind: metric.outcomeKind,
    unit: metric.unit,
    aggregation: metric.aggregation,
    distinctProperty: metric.distinctProperty,
    multiplier: metric.multiplier,
    hourlyRate: metric.hourlyRate,
    higherIsBetter: metric.higherIsBetter,
    priority: metric.priority,
  };
}

/** The given labels without the locales left out, so the stored JSON holds only real names. */
export function compactLabels(labels: MetricInput["labels"]): MetricLabels {
  return Object.fromEntries(
    Object.entries(labels ?? {}).filter(([, text]) => typeof text === "string"),
  ) as MetricLabels;
}

export function listMetrics(db: DbExecutor, tenantId: string): Promise<MetricDefinition[]> {
  return db
    .select()
    .from(metricDefinitions)
    .where(eq(metricDefinitions.tenantId, tenantId))
    .orderBy(asc(metricDefinitions.priority), asc(metricDefinitions.key));
}

export async function upsertMetric(
  db: DbExecutor,
  tenantId: string,
  key: string,
  input: MetricInput,
): Promise<MetricDefinition> {
  const values = {
    label: input.label,
    labels: compactLabels(input.labels),
    event: input.event,
    outcomeKind: input.outcomeKind,
    unit: input.unit,
    aggregation: input.aggregation,
    distinctProperty: input.distinctProperty ?? null,
    multiplier: input.multiplier,
    hourlyRate: input.hourlyRate ?? null,
    higherIsBetter: input.higherIsBetter,
    priority: input.priority,
  };
  const [row] = await db
    .insert(metricDefinitions)
    .values({ tenantId, key, ...values })
    .onConflictDoUpdate({
      target: [metricDefinitions.tenantId, metricDefinitions.key],
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error("metric upsert returned no row");
  return row;
}

/**
 * Saves a metric from the API. A `distinct` metric counts property values that ingestion only
 * collects once the metric exists, so saving one also queues a rebuild of the tenant's rollups.
 */
export async function saveMetric(
  deps: Pick<Deps, "db" | "queue">,
  tenantId: string,
  key: string,
  input: MetricInput,
): Promise<MetricDefinition> {
  return deps.db.transaction(async (tx) => {
    const metric = await upsertMetric(tx, tenantId, key, input);
    if (metric.aggregation === "distinct") {
      await deps.queue.enqueue(ROLLUP_REBUILD_JOB, { tenantId }, { tx, singletonKey: tenantId });
    }
    return metric;
  });
}

export async function deleteMetric(db: DbExecutor, tenantId: string, key: string): Promise<void> {
  const deleted = await db
    .delete(metricDefinitions)
    .where(and(eq(metricDefinitions.tenantId, tenantId), eq(metricDefinitions.key, key)))
    .returning({ key: metricDefinitions.key });
  if (deleted.length === 0) throw notFound(`No metric "${key}" in the value model.`);
}

/**
 * A value model for a workflow-automation product, used by the demo tenant and as the example in
 * the docs: each run saves 6 minutes of manual work worth 45 an hour, caught errors reduce risk,
 * captured early-payment discounts are money saved, and active colleagues show adoption.
 */
export const DEFAULT_VALUE_MODEL: { key: string; input: MetricInput }[] = [
  {
    key: "hours_saved",
    input: {
      label: "Manual work automated",
      event: "automation.run",
      outcomeKind: "time_saved",
      unit: "minutes",
      aggregation: "count",
      multiplier: 6,
      hourlyRate: 45,
      higherIsBetter: true,
      priority: 10,
    },
  },
  {
    key: "errors_prevented",
    input: {
      label: "Errors caught before they reached a customer",
      event: "validation.blocked",
      outcomeKind: "risk_reduced",
      unit: "count",
      aggregation: "sum",
      multiplier: 1,
      higherIsBetter: true,
      priority: 20,
    },
  },
  {
    key: "discounts_captured",
    input: {
      label: "Early-payment discounts captured",
      event: "invoice.discount_captured",
      outcomeKind: "money",
      unit: "money",
      aggregation: "sum",
      multiplier: 1,
      higherIsBetter: true,
      priority: 30,
    },
  },
  {
    key: "active_users",
    input: {
      label: "Colleagues using the product",
      event: "user.active",
      outcomeKind: "adoption",
      unit: "count",
      aggregation: "distinct",
      distinctProperty: "user_id",
      multiplier: 1,
      higherIsBetter: true,
      priority: 40,
    },
  },
];
