import { describe, expect, it } from "vitest";
import type { CopyVariant, OkDigest } from "../../src/drafting/drafter.types.js";
import { type AllowedNumber, allowedNumbers, allowedPhrase, factCheck } from "../../src/drafting/fact-check.js";
import { scanNumbers } from "../../src/drafting/number-extraction.js";
import { createTemplateDrafter } from "../../src/drafting/template-drafter.js";
import { formatFact } from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { buildDigest, type RawAggregate } from "../../src/usage/digest.js";
import type { DigestMetric, Fact } from "../../src/usage/digest.types.js";

/** mulberry32: the same digests on every run and every machine. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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

/** A digest with 1–6 metrics, values from 0.5 to millions, rises, falls and no change, bands and ROI. */
function generatedDigest(seed: number): OkDigest {
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
  if (digest.status !== "ok") throw new Error(`seed ${seed}: ${digest.reasons.join("; ")}`);
  return digest;
}

const DIGESTS = Array.from({ length: 220 }, (_, index) => generatedDigest(7919 * (index + 1)));
const VARIANTS: CopyVariant[] = ["A", "B"];

describe("the generated digests", () => {
  it("cover what the fact-check must handle", () => {
    const facts = DIGESTS.flatMap((digest) => digest.facts);
    const units = new Set(facts.map((fact) => fact.unit));
    expect([...units].sort()).toEqual(["count", "days", "hours", "minutes", "money", "percent", "ratio"]);
    expect(new Set(facts.map((fact) => fact.percentileBand))).toEqual(new Set([null, 5, 10, 25]));
    expect(facts.some((fact) => (fact.changePercent ?? 0) > 0)).toBe(true);
    expect(facts.some((fact) => (fact.changePercent ?? 0) < 0)).toBe(true);
    expect(facts.some((fact) => fact.changePercent === 0)).toBe(true);
    expect(facts.some((fact) => fact.value < 1)).toBe(true);
    expect(facts.some((fact) => fact.value >= 1_000_000)).toBe(true);
    expect(facts.some((fact) => !Number.isInteger(fact.value))).toBe(true);
  });
});

describe("the template drafter's copy passes the fact-check", () => {
  it(`for ${DIGESTS.length} digests × ${SUPPORTED_LOCALES.length} locales × both variants`, async () => {
    const drafter = createTemplateDrafter();
    const failures: string[] = [];
    let checked = 0;
    for (const [index, digest] of DIGESTS.entries()) {
      const account = ACCOUNTS[index % ACCOUNTS.length]!;
      const product = PRODUCTS[index % PRODUCTS.length]!;
      // Names are not facts: their digits may appear inside the name and nowhere else.
      const names = [allowedPhrase(account, "account name"), allowedPhrase(product, "product name")];
      const allowed = allowedNumbers(
        digest,
        names.filter((name): name is AllowedNumber => name !== null),
      );
      for (const locale of SUPPORTED_LOCALES) {
        const formatted = digest.facts.map((fact) => formatFact(fact, locale, digest.currency));
        for (const variant of VARIANTS) {
          const input = {
            digest,
            formatted,
            locale,
            variant,
            kind: index % 5 === 0 ? ("milestone" as const) : ("quarterly" as const),
            milestone: index % 5 === 0 ? `${digest.facts[0]?.metricKey ?? "x"} reached 1284 in 30 days` : null,
            account: { name: account },
            tenant: { name: "Vendor Oy", productName: product },
          };
          const attempt = await drafter.draft(input, []);
          if (!attempt.ok) {
            failures.push(`digest ${index} ${locale} ${variant}: drafter failed: ${attempt.reasons.join("; ")}`);
            continue;
          }
          const result = factCheck(attempt.copy, allowed, locale);
          checked += result.numbers.length;
          for (const number of result.mismatches)
            failures.push(`digest ${index} ${locale} ${variant} ${number.field}: "${number.text}" ${number.reason}`);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(DIGESTS.length * 10 * 5);
  });
});

describe("formatFact's strings read back to the fact's numbers", () => {
  const expectations = (fact: Fact, formatted: ReturnType<typeof formatFact>) =>
    [
      ["value", formatted.value, fact.value],
      ["valueLong", formatted.valueLong, fact.value],
      ["change", formatted.change, fact.changePercent],
      ["band", formatted.band, fact.percentileBand],
      ["money", formatted.money, fact.moneyValue],
    ] as const;

  it("in every locale, for every generated fact", () => {
    const failures: string[] = [];
    for (const digest of DIGESTS)
      for (const fact of digest.facts)
        for (const locale of SUPPORTED_LOCALES) {
          const formatted = formatFact(fact, locale, digest.currency);
          for (const [name, text, expected] of expectations(fact, formatted)) {
            if (text === null) continue;
            const found = scanNumbers(text, locale);
            const read = found.map((number) => number.value);
            if (found.length !== 1 || found[0]!.problem || read[0] !== expected || found[0]!.text !== text)
              failures.push(`${locale} ${fact.id} ${name}: ${JSON.stringify(text)} read as ${JSON.stringify(found)}`);
          }
        }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
