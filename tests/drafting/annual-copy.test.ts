import { describe, expect, it } from "vitest";
import { allowedFor, printedNames } from "../../src/drafting/draft-copy.js";
import type { OkDigest } from "../../src/drafting/drafter.types.js";
import { factCheck } from "../../src/drafting/fact-check.js";
import { draftTemplateAlternatives, draftTemplateCopy } from "../../src/drafting/template-drafter.js";
import { formatPeriodInText, formatPeriodLabel } from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { buildStoryView } from "../../src/sharing/share-story.js";
import { storyChart } from "../../src/sharing/story-chart.js";
import { buildRecapModel } from "../../templates/model.js";
import { digest as cardDigest, renderInput, storyTenant } from "../rendering/fixtures.js";
import { draftInput, generatedDigestSet } from "../support/digests.js";

/** 1 January to 6 December 2026 in Helsinki, against the same span of 2025. */
const YEAR_SO_FAR = {
  label: "2026",
  start: "2025-12-31T22:00:00.000Z",
  end: "2026-12-06T12:00:00.000Z",
  timeZone: "Europe/Helsinki",
  yearToDate: true,
};
const LAST_YEAR = {
  label: "2025",
  start: "2024-12-31T22:00:00.000Z",
  end: "2025-12-06T12:00:00.000Z",
  timeZone: "Europe/Helsinki",
};
const annual = (digest: OkDigest): OkDigest => ({ ...digest, period: YEAR_SO_FAR, previousPeriod: LAST_YEAR });

/** Words that would tell a reader the recap is about a quarter. */
const QUARTER_WORDS = /quarter|neljännes|kvartaali|kvartal|quartal/i;

const RECAPS = generatedDigestSet(6).flatMap((digest) =>
  SUPPORTED_LOCALES.flatMap((locale) =>
    (["A", "B"] as const).map((variant) => draftInput(annual(digest), locale, variant, { kind: "annual" })),
  ),
);

describe("the year in review's copy", () => {
  const drafted = RECAPS.map((input) => {
    const copy = draftTemplateCopy(input);
    return { input, wordings: [copy, ...draftTemplateAlternatives(input, copy)].map((w) => ({ ...copy, ...w })) };
  });

  it("speaks of the year, never of a quarter, in every language and variant", () => {
    const quarterly: string[] = [];
    for (const { input, wordings } of drafted)
      for (const copy of wordings) {
        const text = JSON.stringify(copy);
        if (QUARTER_WORDS.test(text))
          quarterly.push(`${input.locale} ${input.variant}: ${text.match(QUARTER_WORDS)?.[0]}`);
      }
    expect(quarterly).toEqual([]);
    const changed = drafted.filter(({ input }) => input.digest.facts.some((fact) => fact.changePercent !== null));
    expect(changed.length).toBeGreaterThan(0);
  });

  it("passes the fact-check with the year as the only number that is not a fact's", () => {
    const failures: string[] = [];
    for (const { input, wordings } of drafted)
      for (const copy of wordings) {
        const checked = factCheck(copy, allowedFor(input), input.locale, { names: printedNames(input) });
        if (checked.mismatches.length > 0) failures.push(`${input.locale}: ${JSON.stringify(checked.mismatches)}`);
      }
    expect(failures).toEqual([]);
  });

  it("speaks of a year still running as running, and lets a finished year keep its past tense", () => {
    // The frames that would close the year early ("2026 was that kind of year", "What … delivered in
    // 2026", "Vad … levererade", "Mitä … tuotti", "Mida … andis"), per language.
    const finished: Record<SupportedLocale, RegExp> = {
      en: /\b\d{4} was\b|(?<!\bhas (?:actually )?)\bdelivered\b|\bdid for our team\b/,
      de: /\b(war|waren|wurde|wurden)\b/,
      // A running year takes the perfect ("har automatiserat"), not the past ("automatiserade"), headline included.
      sv: /\b(levererade|landade|automatiserade|tog (hem|tillvara)|stoppade|fångade|säkrade|frigjorde|skötte|lönade sig|lämnade över|rättade|hindrade)\b|\bvar ett sådant\b|\bDet här gjorde\b/,
      fi: /\b(tuotti|teki tiimillemme|näkyi)\b/,
      et: /\b(andis|aitas)\b/,
    };
    const closed: string[] = [];
    for (const { input, wordings } of drafted)
      for (const copy of wordings) {
        const text = [copy.headline, copy.subheadline, copy.linkedinPost, ...copy.highlights.map((item) => item.text)];
        const match = text.join(" ").match(finished[input.locale]);
        if (match) closed.push(`${input.locale} ${input.variant}: "${match[0]}"`);
      }
    expect(closed).toEqual([]);
    // Last year, over: the same frames may speak of it as done.
    const lastYear = RECAPS.filter((input) => input.locale === "en").map((input) => ({
      ...input,
      digest: { ...input.digest, period: { ...LAST_YEAR, label: "2025" } },
    }));
    const past = lastYear.flatMap((input) => {
      const copy = draftTemplateCopy(input);
      return [copy, ...draftTemplateAlternatives(input, copy)].map((w) => `${copy.subheadline} ${w.linkedinPost}`);
    });
    expect(past.some((text) => finished.en.test(text))).toBe(true);
  });

  it("never starts a German sentence or headline with a bare 'Jahr 2026' (it reads 'Das Jahr 2026', 'im Jahr 2026')", () => {
    const bare: string[] = [];
    for (const { input, wordings } of drafted)
      for (const copy of wordings) {
        if (input.locale !== "de") continue;
        const text = [copy.headline, copy.subheadline, copy.linkedinPost, ...copy.highlights.map((h) => h.text)];
        for (const part of text) if (/(?:^|[.:!?]\s+|\n)Jahr \d{4}/u.test(part)) bare.push(`${input.variant}: ${part}`);
      }
    expect(bare).toEqual([]);
  });

  it("names the year in the transparency line as each language does, and a running year as running", () => {
    const expected: Record<SupportedLocale, string> = {
      en: "in 2026 so far",
      et: "2026. aastal seni",
      fi: "vuonna 2026 tähän mennessä",
      de: "bisherigen",
      sv: "hittills under 2026",
    };
    for (const { input, wordings } of drafted)
      expect(wordings[0]!.transparencyNote, `${input.locale} ${input.variant}`).toContain(expected[input.locale]);
    const finishedNote = (locale: SupportedLocale) =>
      draftTemplateCopy(
        draftInput({ ...RECAPS[0]!.digest, period: LAST_YEAR, previousPeriod: LAST_YEAR }, locale, "A", {
          kind: "annual",
        }),
      ).transparencyNote;
    expect(finishedNote("fi")).toContain("vuonna 2025.");
    expect(finishedNote("et")).toContain("2025. aastal");
  });

  it("compares with last year in each language's own words", () => {
    const digest = annual(cardDigest());
    const rising = { ...digest, facts: digest.facts.map((fact) => ({ ...fact, changePercent: 12, improved: true })) };
    // A sentence may start with the words ("Viime vuoteen nähden …", "Eelmise aasta …"): case-insensitive
    // but for the German noun, which is capitalised anywhere.
    const expected = { en: /last year/i, et: /eelmise(st)? aasta/i, fi: /viime vuo/i, de: /Vorjahr/, sv: /i fjol/i };
    for (const locale of SUPPORTED_LOCALES) {
      const copy = draftTemplateCopy(draftInput(rising, locale, "A", { kind: "annual" }));
      expect(copy.highlights.map((item) => item.text).join(" "), locale).toMatch(expected[locale]);
    }
  });
});

describe("the year in review's label", () => {
  it('reads "2026 so far" in each language while the year runs, and "2026" once it is over', () => {
    expect(SUPPORTED_LOCALES.map((locale) => formatPeriodLabel(YEAR_SO_FAR, locale))).toEqual([
      "2026 so far",
      "2026. aasta seni",
      "2026 tähän mennessä",
      "2026 bis heute",
      "2026 hittills",
    ]);
    expect(SUPPORTED_LOCALES.map((locale) => formatPeriodLabel(LAST_YEAR, locale))).toEqual(Array(5).fill("2025"));
    expect(formatPeriodLabel({ label: "2026-Q3" }, "fi")).toBe("Q3\u00a02026");
    // German running text needs the noun: "im Jahr 2026", never "im 2026".
    expect(formatPeriodInText("2026", "de")).toBe("Jahr 2026");
    expect(formatPeriodInText("2026", "sv")).toBe("2026");
  });

  it("puts the year so far, the year's words and monthly bars on the card", async () => {
    const base = cardDigest();
    const months = Array.from({ length: 12 }, (_, index) => ({
      start: `2026-${String(index + 1).padStart(2, "0")}-01`,
      value: 10 + index,
    }));
    const chart = base.chart ? { ...base.chart, granularity: "month" as const, points: months } : null;
    const model = buildRecapModel(await renderInput({ locale: "sv", digest: { ...annual(base), chart } }));
    expect(model.period).toBe("2026 hittills");
    expect(model.words.kicker).toBe("Årsöversikt");
    expect(model.words.versus).toBe("mot förra året");
    expect(model.chart).toMatchObject({ title: "Månad för månad", monthly: true });
    expect(model.chart?.values).toHaveLength(12);
    const quarterly = buildRecapModel(await renderInput({ locale: "sv" }));
    expect(quarterly.words.kicker).toBe("Kvartalsöversikt");
    expect(quarterly.chart?.monthly).toBe(false);
  });
});

describe("the year in review's chart on the story page", () => {
  it("names each month by its initial, draws the running month lighter and never calls it the best", () => {
    const points = Array.from({ length: 12 }, (_, index) => ({
      start: `2026-${String(index + 1).padStart(2, "0")}-01`,
      value: index === 11 ? 500 : 10 + index,
    }));
    const chart = storyChart(
      { metricKey: "runs", unit: "count", granularity: "month", points },
      YEAR_SO_FAR,
      "de",
      "EUR",
    );
    expect(chart?.bars.map((bar) => bar.monthLabel).join("")).toBe("JFMAMJJASOND");
    expect(chart?.bars.map((bar) => bar.partial)).toEqual([...Array(11).fill(false), true]);
    expect(chart?.bars.findIndex((bar) => bar.best)).toBe(10);
    expect(chart?.bestWeek).toBe("November");
  });

  it("opens the story with the year's own kicker and compares the number with last year", () => {
    const base = annual(cardDigest());
    const months = Array.from({ length: 12 }, (_, index) => ({
      start: `2026-${String(index + 1).padStart(2, "0")}-01`,
      value: 5 + index,
    }));
    const digest = {
      ...base,
      facts: base.facts.map((fact) => ({ ...fact, changePercent: 12, improved: true })),
      chart: base.chart ? { ...base.chart, granularity: "month" as const, points: months } : null,
    };
    const copy = draftTemplateCopy(draftInput(digest, "fi", "A", { kind: "annual" }));
    // Only the fields the story reads: a published recap and its tenant.
    const recap = { digest, copy, hiddenFactIds: [], accountName: "Kide Analytics Oy" } as never;
    const tenant = storyTenant();
    const view = buildStoryView({
      recap,
      tenant,
      locale: "fi",
      redirectHref: "/r/x",
      cardUrl: null,
      serviceOrigin: "https://recap.example",
    });
    expect(view.opening.kicker).toBe("Vuosikatsaus · 2026 tähän mennessä");
    expect(view.hero?.kicker).toBe("Vuoden luku");
    expect(view.hero?.change).toMatch(/viime vuoden vastaavaan jaksoon/);
    expect(view.chart?.kicker).toBe("Kuukausi kuukaudelta");
  });
});
