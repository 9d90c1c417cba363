import type { RecapCopy } from "../../src/drafting/copy.schema.js";
import type { OkDigest } from "../../src/drafting/drafter.types.js";
import { createTemplateDrafter } from "../../src/drafting/template-drafter.js";
import { formatFact } from "../../src/i18n/format.js";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import type { TenantBrand } from "../../src/platform/tenancy/tenancy.schema.js";
import type { RenderInput, Theme } from "../../src/rendering/rendering.types.js";
import type { Fact, SerializedPeriod } from "../../src/usage/digest.types.js";

/**
 * A hand-made quarter for a mid-sized finance team: hours automated (up), errors caught (down,
 * which for a higher-is-better metric is not good news), the return on the subscription, and
 * early-payment discounts as a seven-digit sum. Copy comes from the real template drafter.
 */
const PERIOD: SerializedPeriod = {
  label: "2026-Q3",
  start: "2026-06-30T21:00:00.000Z",
  end: "2026-09-30T21:00:00.000Z",
  timeZone: "Europe/Tallinn",
};

export function fact(id: string, fields: Partial<Fact> & Pick<Fact, "unit" | "value">): Fact {
  return {
    id,
    kind: id === "roi" ? "roi" : "metric",
    metricKey: id === "roi" ? undefined : id.replace("metric:", ""),
    label: id,
    previousValue: null,
    changePercent: null,
    improved: null,
    percentileBand: null,
    moneyValue: null,
    score: 1,
    provenance: { source: "events", formula: "sum", period: PERIOD },
    ...fields,
  };
}

/**
 * Monday weeks as the service counts them (usage/weekly-chart.ts): Q3 2026 starts on a Wednesday
 * and ends on a Wednesday, so the first week has five days in the quarter and the last three.
 */
const WEEKS = [44, 71, 68, 80, 77, 91, 88, 96, 102, 99, 118, 124, 108, 46];

export function digest(overrides: { facts?: Fact[]; headline?: string[] } = {}): OkDigest {
  const facts = overrides.facts ?? [
    fact("metric:hours_saved", {
      unit: "hours",
      value: 1284,
      previousValue: 980,
      changePercent: 31,
      improved: true,
      percentileBand: 10,
      moneyValue: 51360,
      outcomeKind: "time_saved",
    }),
    fact("metric:errors_prevented", {
      unit: "count",
      value: 312,
      previousValue: 348,
      changePercent: -10.3,
      improved: false,
      outcomeKind: "risk_reduced",
    }),
    fact("roi", { unit: "ratio", value: 8.1, label: "ROI" }),
    fact("metric:discounts_captured", {
      unit: "money",
      value: 12_840_000,
      previousValue: 9_100_000,
      changePercent: 41.1,
      improved: true,
      outcomeKind: "money",
    }),
  ];
  return {
    status: "ok",
    period: PERIOD,
    previousPeriod: { ...PERIOD, label: "2026-Q2" },
    currency: "EUR",
    facts,
    headline: overrides.headline ?? facts.slice(0, 3).map((entry) => entry.id),
    archetype: "archetype.automator",
    peerGroup: { segment: "finance", size: 40, shown: true },
    chart: {
      metricKey: "hours_saved",
      unit: "hours",
      granularity: "week",
      points: WEEKS.map((value, index) => ({
        start: new Date(Date.UTC(2026, 5, 29 + index * 7)).toISOString().slice(0, 10),
        value,
      })),
    },
    activity: { events: 48_200, activeDays: 88 },
  };
}

/** The seven-digit variant: the money fact leads the numbers row. */
export function bigNumbersDigest(): OkDigest {
  const base = digest();
  return digest({ facts: base.facts, headline: ["metric:discounts_captured", "metric:hours_saved", "roi"] });
}

export const BRAND: TenantBrand = {
  primaryColor: "#4f46e5",
  accentColor: "#f59e0b",
  backgroundColor: "#ffffff",
  productName: "Flowbase",
};

/** The tenant fields the share page's story reads, with no signup, website, tagline or reward. */
export function storyTenant() {
  return {
    brand: BRAND,
    name: "Flowbase Inc",
    signupUrl: null,
    websiteUrl: null,
    productTagline: {},
    productDescription: {},
    shareReward: null,
  } as never;
}

export const LOGO_SVG = new TextEncoder().encode(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="16" fill="#4f46e5"/><path d="M18 44 L30 20 L38 34 L46 24" stroke="#fff" stroke-width="6" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`,
);

export type InputOptions = {
  locale?: SupportedLocale;
  theme?: Theme;
  accountName?: string;
  digest?: OkDigest;
  brand?: Partial<TenantBrand>;
  copy?: Partial<RecapCopy>;
  hiddenFactIds?: string[];
  shareUrl?: string | null;
  logo?: RenderInput["logo"];
  variant?: "A" | "B";
};

/** A complete render input, with copy drafted by the template drafter in the input's language. */
export async function renderInput(options: InputOptions = {}): Promise<RenderInput> {
  const locale = options.locale ?? "en";
  const recapDigest = options.digest ?? digest();
  const formatted = recapDigest.facts.map((entry) => formatFact(entry, locale, recapDigest.currency));
  const accountName = options.accountName ?? "Kide Analytics Oy";
  const brand = { ...BRAND, ...options.brand };
  const attempt = await createTemplateDrafter().draft(
    {
      digest: recapDigest,
      formatted,
      locale,
      variant: options.variant ?? "A",
      kind: "quarterly",
      milestone: null,
      account: { name: accountName },
      tenant: { name: "Flowbase Inc", productName: brand.productName },
    },
    [],
  );
  if (!attempt.ok) throw new Error(`the template drafter failed: ${attempt.reasons.join("; ")}`);
  return {
    locale,
    copy: { ...attempt.copy, ...options.copy },
    digest: recapDigest,
    formatted,
    brand,
    logo: options.logo === undefined ? { contentType: "image/svg+xml", bytes: LOGO_SVG } : options.logo,
    theme: options.theme ?? "classic",
    accountName,
    shareUrl: options.shareUrl === undefined ? "https://recap.example.com/s/k7Qx2m" : options.shareUrl,
    hiddenFactIds: options.hiddenFactIds ?? [],
    variant: options.variant ?? "A",
  };
}

/** Month totals of the fixture's lead metric over 2026 (hours): a year that grows, with a summer dip. */
const MONTHS = [310, 296, 352, 371, 388, 341, 298, 402, 430, 468, 495, 520];

/**
 * A year in review over 2026 in Tallinn: finished (all twelve months), or running to the given
 * instant ("2026 so far", the months so far with the running one as counted up to then).
 */
export function yearDigest(options: { runningTo?: string; months?: number[] } = {}): OkDigest {
  const base = digest();
  const end = options.runningTo ?? "2026-12-31T22:00:00.000Z";
  const lastMonth = options.runningTo ? Number(options.runningTo.slice(5, 7)) : 12;
  const values = options.months ?? MONTHS.slice(0, lastMonth);
  const period: SerializedPeriod = {
    label: "2026",
    start: "2025-12-31T22:00:00.000Z",
    end,
    timeZone: "Europe/Tallinn",
    ...(options.runningTo ? { yearToDate: true } : {}),
  };
  return {
    ...base,
    period,
    previousPeriod: { ...period, label: "2025", start: "2024-12-31T22:00:00.000Z", end: "2025-12-31T22:00:00.000Z" },
    chart: {
      metricKey: "hours_saved",
      unit: "hours",
      granularity: "month",
      points: values.map((value, index) => ({ start: `2026-${String(index + 1).padStart(2, "0")}-01`, value })),
    },
  };
}

/**
 * A milestone recap over the 90 days up to noon on Friday 2 October 2026 in Tallinn: the window
 * starts on Saturday 4 July, so its first week holds only a weekend, and its last week ends on the
 * Friday.
 */
export function milestoneDigest(): OkDigest {
  const base = digest();
  const end = Date.parse("2026-10-02T09:00:00.000Z");
  const period: SerializedPeriod = {
    label: "P90D/2026-10-02",
    start: new Date(end - 90 * 86_400_000).toISOString(),
    end: new Date(end).toISOString(),
    timeZone: "Europe/Tallinn",
  };
  const weeks = [5, 71, 68, 80, 77, 91, 88, 96, 102, 99, 118, 124, 108, 97];
  return {
    ...base,
    period,
    previousPeriod: { ...period, label: "P90D/2026-07-03" },
    chart: {
      metricKey: "hours_saved",
      unit: "hours",
      granularity: "week",
      points: weeks.map((value, index) => ({
        start: new Date(Date.UTC(2026, 5, 29 + index * 7)).toISOString().slice(0, 10),
        value,
      })),
    },
  };
}
