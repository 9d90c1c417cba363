import type { CopyVariant, DraftInput, OkDigest } from "../../src/drafting/drafter.types.js";
import { type AllowedNumber, allowedPhrase } from "../../src/drafting/fact-check.js";
import { formatFact } from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { buildDigest, type DigestInput, type RawAggregate } from "../../src/usage/digest.js";
import type { Digest, DigestMetric, Fact, SerializedPeriod } from "../../src/usage/digest.types.js";

/**
 * Digest fixtures shared by the digest and drafting tests (and the drafting benchmark): periods,
 * metric and digest-input builders, hand-made facts and digests, draft inputs, and a seeded
 * generator of digests of every shape. No vitest here, so bench/ can import it too.
 */

/** mulberry32: the same numbers on every run and every machine. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Quarters as Europe/Tallinn bounds them. */
export const Q1_2026: SerializedPeriod = {
  label: "2026-Q1",
  start: "2025-12-31T22:00:00.000Z",
  end: "2026-03-31T21:00:00.000Z",
  timeZone: "Europe/Tallinn",
};
export const Q2_2026: SerializedPeriod = {
  label: "2026-Q2",
  start: "2026-03-31T21:00:00.000Z",
  end: "2026-06-30T21:00:00.000Z",
  timeZone: "Europe/Tallinn",
};
export const Q3_2026: SerializedPeriod = {
  label: "2026-Q3",
  start: "2026-06-30T21:00:00.000Z",
  end: "2026-09-30T21:00:00.000Z",
  timeZone: "Europe/Tallinn",
};

/** A plain adoption metric that counts `<key>.event`, labelled with its key. */
export function metric(key: string, overrides: Partial<DigestMetric> = {}): DigestMetric {
  return {
    key,
    label: key,
    event: `${key}.event`,
    outcomeKind: "adoption",
    unit: "count",
    aggregation: "count",
    distinctProperty: null,
    multiplier: 1,
    hourlyRate: null,
    higherIsBetter: true,
    priority: 100,
    ...overrides,
  };
}

/** Raw aggregates per metric key: a current value, or the current and the previous one. */
export type Values = Record<string, number | [current: number, previous: number | null]>;

export function aggregates(values: Values): Map<string, RawAggregate> {
  return new Map(
    Object.entries(values).map(([key, value]) => {
      const [current, previous] = Array.isArray(value) ? value : [value, null];
      return [key, { current, previous, source: "events" as const }];
    }),
  );
}

/** Q2 2026 after Q1, in EUR, no peers, no cost, and activity well above the data gate. */
export function digestInput(
  metrics: DigestMetric[],
  values: Values,
  overrides: Partial<DigestInput> = {},
): DigestInput {
  return {
    period: Q2_2026,
    previousPeriod: Q1_2026,
    currency: "EUR",
    metrics,
    aggregates: aggregates(values),
    peers: null,
    peerComparison: false,
    quarterlyCost: null,
    activity: { events: 500, activeDays: 40 },
    ...overrides,
  };
}

/** The digest, which must have passed the data gate; `context` names the fixture when it did not. */
export function ok(digest: Digest, context = "expected a digest"): OkDigest {
  if (digest.status !== "ok") throw new Error(`${context}: ${digest.reasons.join("; ")}`);
  return digest;
}

export function factOf(digest: Digest, id: string): Fact {
  const fact = ok(digest).facts.find((candidate) => candidate.id === id);
  if (!fact) throw new Error(`no fact ${id}`);
  return fact;
}

/** A hand-made fact ("roi" is the ROI fact), with nothing but its value unless `extra` says so. */
export function fact(id: string, label: string, unit: Fact["unit"], value: number, extra: Partial<Fact> = {}): Fact {
  return {
    id,
    kind: id === "roi" ? "roi" : "metric",
    label,
    unit,
    value,
    previousValue: null,
    changePercent: null,
    improved: null,
    percentileBand: null,
    moneyValue: null,
    score: 1,
    provenance: { source: "events", formula: "sum", period: Q3_2026 },
    ...extra,
  };
}

/** A hand-made Q3 2026 digest in EUR that heads with its facts in the order given. */
export function handMadeDigest(facts: Fact[], overrides: Partial<OkDigest> = {}): OkDigest {
  return {
    status: "ok",
    period: Q3_2026,
    previousPeriod: Q2_2026,
    currency: "EUR",
    facts,
    headline: facts.map((item) => item.id),
    archetype: "archetype.automator",
    peerGroup: { segment: null, size: 0, shown: false },
    chart: null,
    activity: { events: 500, activeDays: 40 },
    ...overrides,
  };
}

/** What a drafter gets: every fact formatted in `locale` and the digest's currency, a quarterly recap. */
export function draftInput(
  digest: OkDigest,
  locale: SupportedLocale,
  variant: CopyVariant,
  overrides: Partial<DraftInput> = {},
): DraftInput {
  return {
    digest,
    formatted: digest.facts.map((item) => formatFact(item, locale, digest.currency)),
    locale,
    variant,
    kind: "quarterly",
    milestone: null,
    account: { name: "Kide Analytics Oy" },
    tenant: { name: "Flowbase Inc", productName: "Flowbase" },
    ...overrides,
  };
}

type Pool = Omit<DigestMetric, "event" | "aggregation" | "distinctProperty" | "priority" | "label">;
const POOL: Pool[] = [
  { key: "hours_saved", outcomeKind: "time_saved", unit: "hours", multiplier: 1, hourlyRate: 45, higherIsBetter: true },
  {
    key: "minutes_saved",
    outcomeKind: "time_saved",
    unit: "minutes",
    multiplier: 3,
    hourlyRate: null,
    higherIsBetter: true,
  },
  { key: "days_saved", outcomeKind: "speed_gained", unit: "days", multiplier: 1, hourlyRate: 8, higherIsBetter: true },
  {
    key: "errors_prevented",
    outcomeKind: "risk_reduced",
    unit: "count",
    multiplier: 1,
    hourlyRate: null,
    higherIsBetter: true,
  },
  {
    key: "discounts_captured",
    outcomeKind: "money",
    unit: "money",
    multiplier: 1,
    hourlyRate: null,
    higherIsBetter: true,
  },
  {
    key: "active_users",
    outcomeKind: "adoption",
    unit: "count",
    multiplier: 1,
    hourlyRate: null,
    higherIsBetter: true,
  },
  {
    key: "turnaround",
    outcomeKind: "speed_gained",
    unit: "hours",
    multiplier: 1,
    hourlyRate: null,
    higherIsBetter: false,
  },
  {
    key: "share_automated",
    outcomeKind: "speed_gained",
    unit: "percent",
    multiplier: 1,
    hourlyRate: null,
    higherIsBetter: true,
  },
  {
    key: "incidents",
    outcomeKind: "risk_reduced",
    unit: "count",
    multiplier: 1,
    hourlyRate: null,
    higherIsBetter: false,
  },
  { key: "cost_avoided", outcomeKind: "money", unit: "money", multiplier: 0.5, hourlyRate: null, higherIsBetter: true },
];
const CURRENCIES = ["EUR", "USD", "SEK", "GBP", "CHF"];

const ACCOUNTS = ["Acme Oy", "Nordlicht GmbH", "Õun & Pirn OÜ", "Team 42", "Svensk Bygg AB", "Studio 7 Ltd"];
const PRODUCTS = ["Flowly", "Taskr", "Planner 365"];

/**
 * A digest with 1–6 metrics, values from 0.5 to millions, rises, falls and no change, bands and ROI,
 * in one of five currencies and a quarter from 2024 to 2027; the same for the same seed.
 */
export function generatedDigest(seed: number): OkDigest {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const between = (low: number, high: number) => low * (high / low) ** next();
  const chosen = [...POOL].sort(() => next() - 0.5).slice(0, 1 + Math.floor(next() * 6));
  const metrics: DigestMetric[] = chosen.map((entry, index) => ({
    ...entry,
    label: entry.key.replace("_", " "),
    event: `${entry.key}.done`,
    aggregation: "sum",
    distinctProperty: null,
    hourlyRate: entry.hourlyRate !== null && next() < 0.7 ? Math.round(between(5, 150)) : null,
    priority: index * 10,
  }));
  const aggregates = new Map<string, RawAggregate>();
  const peerValues = new Map<string, number[]>();
  for (const metric of metrics) {
    const raw = between(0.5, metric.unit === "percent" ? 100 : 5_000_000);
    const current = next() < 0.5 ? Math.max(1, Math.round(raw)) : raw;
    const shape = next();
    const previous =
      shape < 0.25
        ? null
        : shape < 0.5
          ? current / between(1.01, 4)
          : shape < 0.75
            ? current * between(1.01, 3)
            : current;
    aggregates.set(metric.key, { current, previous, source: "events" });
    // The account among peers: some groups it leads, some it trails, so every band and none appear.
    const size = 5 + Math.floor(next() * 60);
    const lead = next();
    peerValues.set(
      metric.key,
      Array.from({ length: size }, (_, index) => (index === 0 ? current : current * (next() < lead ? 0.5 : 1.5))),
    );
  }
  const year = 2024 + Math.floor(next() * 4);
  const quarter = 1 + Math.floor(next() * 4);
  const previousLabel = quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
  const digest = buildDigest({
    period: { label: `${year}-Q${quarter}`, start: "", end: "", timeZone: "UTC" },
    previousPeriod: { label: previousLabel, start: "", end: "", timeZone: "UTC" },
    currency: pick(CURRENCIES),
    metrics,
    aggregates,
    peers: next() < 0.6 ? { segment: null, size: 60, values: peerValues } : null,
    peerComparison: next() < 0.8,
    quarterlyCost: next() < 0.6 ? between(50, 500_000) : null,
    activity: { events: 500, activeDays: 40 },
  });
  return ok(digest, `seed ${seed}`);
}

/** `count` generated digests, from the seeds 7919, 2 × 7919, … */
export function generatedDigestSet(count: number): OkDigest[] {
  return Array.from({ length: count }, (_, index) => generatedDigest(7919 * (index + 1)));
}

/** One recap to draft for a generated digest, and the names' numbers the copy may also print. */
export type GeneratedRecap = { index: number; input: DraftInput; names: AllowedNumber[] };

/**
 * Every generated digest in every language and both variants: accounts and products by turns, some
 * with digits in their names, and every fifth recap a milestone one.
 */
export function generatedRecaps(digests: OkDigest[]): GeneratedRecap[] {
  return digests.flatMap((digest, index) => {
    const account = ACCOUNTS[index % ACCOUNTS.length]!;
    const product = PRODUCTS[index % PRODUCTS.length]!;
    // Names are not facts: their digits may appear inside the name and nowhere else.
    const names = [allowedPhrase(account, "account name"), allowedPhrase(product, "product name")].filter(
      (name): name is AllowedNumber => name !== null,
    );
    const milestone = index % 5 === 0;
    return SUPPORTED_LOCALES.flatMap((locale) =>
      (["A", "B"] as const).map((variant) => ({
        index,
        names,
        input: draftInput(digest, locale, variant, {
          kind: milestone ? "milestone" : "quarterly",
          milestone: milestone ? `${digest.facts[0]?.metricKey ?? "x"} reached 1284 in 30 days` : null,
          account: { name: account },
          tenant: { name: "Vendor Oy", productName: product },
        }),
      })),
    );
  });
}

/**
 * The fact-check's fixture tenant: 1 284 h saved (from 980 h, at 10 an hour), 150 errors (from
 * 200, fewer is better) and 48 reports this quarter.
 */
export function hoursErrorsReports(): { metrics: DigestMetric[]; values: Values } {
  return {
    metrics: [
      metric("hours_saved", {
        label: "Hours saved",
        outcomeKind: "time_saved",
        unit: "hours",
        hourlyRate: 10,
        priority: 1,
      }),
      metric("errors", { label: "Errors", outcomeKind: "risk_reduced", higherIsBetter: false, priority: 2 }),
      metric("reports", { label: "Reports", priority: 3 }),
    ],
    values: { hours_saved: [1284, 980], errors: [150, 200], reports: 48 },
  };
}
