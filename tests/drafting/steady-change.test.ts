import { describe, expect, it } from "vitest";
import { allowedFor, printedNames } from "../../src/drafting/draft-copy.js";
import type { DraftInput, OkDigest } from "../../src/drafting/drafter.types.js";
import { factCheck } from "../../src/drafting/fact-check.js";
import { draftTemplateAlternatives, draftTemplateCopy } from "../../src/drafting/template-drafter.js";
import { getI18n } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { buildStoryView } from "../../src/sharing/share-story.js";
import { digest, storyTenant } from "../rendering/fixtures.js";
import { draftInput } from "../support/digests.js";

/**
 * A change that rounds to 0 % at the precision the copy prints is no change: the Estonian milestone
 * page once said "Erinevus eelneva perioodiga on 0%" and "Võrreldes eelneva perioodiga on muutus 0%"
 * in one recap. The copy says at most once that the figure held steady, in variant A only.
 */

/** Hours flat (0), errors a hair down (−0.04), discounts a hair up (+0.04): all three print as "0 %". */
function flatDigest(): OkDigest {
  const base = digest();
  const flat: Record<string, number> = {
    "metric:hours_saved": 0,
    "metric:errors_prevented": -0.04,
    "metric:discounts_captured": 0.04,
  };
  return {
    ...base,
    headline: ["metric:hours_saved", "metric:errors_prevented", "metric:discounts_captured"],
    facts: base.facts.map((fact) => {
      const change = flat[fact.id];
      return change === undefined ? fact : { ...fact, changePercent: change, improved: change > 0 };
    }),
  };
}

const WINDOW = { label: "P90D/2026-10-02", start: "", end: "", timeZone: "UTC" };
const YEAR_SO_FAR = { label: "2026", start: "", end: "", timeZone: "UTC", yearToDate: true };
const LAST_YEAR = { label: "2025", start: "", end: "", timeZone: "UTC" };

function inputs(): DraftInput[] {
  const quarterly = flatDigest();
  const shapes: [DraftInput["kind"], OkDigest][] = [
    ["quarterly", quarterly],
    ["milestone", { ...quarterly, period: WINDOW }],
    ["annual", { ...quarterly, period: YEAR_SO_FAR, previousPeriod: LAST_YEAR }],
  ];
  return shapes.flatMap(([kind, shaped]) =>
    SUPPORTED_LOCALES.flatMap((locale) =>
      (["A", "B"] as const).map((variant) =>
        draftInput(shaped, locale, variant, {
          kind,
          milestone: kind === "milestone" ? "hours_saved reached 1284 in 90 days" : null,
        }),
      ),
    ),
  );
}

/** "0 %", "0%", "+0 %", "−0,0 %": a zero printed as a percentage (not the end of "10 %" or "1 000 %"). */
const ZERO_PERCENT = /(?<![\d,.])(?<!\d[\s\u00a0\u202f])[+−-]?0(?:[.,]0+)?[\s\u00a0\u202f]?%/u;

/** Every "held steady" sentence of a language: quarter, year and window forms. */
function steadySentences(locale: SupportedLocale): string[] {
  return ["clause.change.steady", "year.clause.change.steady", "window.clause.change.steady"].flatMap(
    (key) => (getI18n().getResource(locale, "copy", key) as string[] | undefined) ?? [],
  );
}

describe("a change that rounds to 0 %", () => {
  const drafted = inputs().map((input) => {
    const copy = draftTemplateCopy(input);
    return { input, wordings: [copy, ...draftTemplateAlternatives(input, copy)].map((w) => ({ ...copy, ...w })) };
  });
  const where = (input: DraftInput) => `${input.locale} ${input.kind} ${input.variant}`;

  it("is never printed as a change, in any language, kind or variant", () => {
    const printed: string[] = [];
    for (const { input, wordings } of drafted)
      for (const copy of wordings) {
        const text = [copy.headline, copy.subheadline, ...copy.highlights.map((h) => h.text), copy.linkedinPost];
        const match = text.join("\n").match(ZERO_PERCENT);
        if (match) printed.push(`${where(input)}: "${match[0]}"`);
      }
    expect(printed).toEqual([]);
    expect(drafted).toHaveLength(3 * SUPPORTED_LOCALES.length * 2);
  });

  it("is told as a figure that held steady once in variant A, and not at all in variant B", () => {
    const wrong: string[] = [];
    for (const { input, wordings } of drafted) {
      const steady = steadySentences(input.locale);
      const copy = wordings[0]!;
      const highlights = copy.highlights.map((h) => h.text).join(" ");
      const told = steady.reduce((sum, sentence) => sum + highlights.split(sentence).length - 1, 0);
      if (told !== (input.variant === "A" ? 1 : 0)) wrong.push(`${where(input)}: told ${told}× in "${highlights}"`);
    }
    expect(wrong).toEqual([]);
  });

  it("passes the fact-check in every wording", () => {
    const failures: string[] = [];
    for (const { input, wordings } of drafted)
      for (const copy of wordings) {
        const checked = factCheck(copy, allowedFor(input), input.locale, { names: printedNames(input) });
        if (!checked.ok) failures.push(`${where(input)}: ${JSON.stringify(checked.mismatches)}`);
      }
    expect(failures).toEqual([]);
  });

  it("gets no change line on the public share page, even when it rounds up from a gain (+0.04 %)", () => {
    const flat = flatDigest();
    // The hero is the first headline fact: make it the one that rose by a hair, with `improved` set.
    const up = { ...flat, headline: ["metric:discounts_captured", "metric:hours_saved"] };
    const tenant = storyTenant();
    for (const locale of SUPPORTED_LOCALES) {
      const copy = draftTemplateCopy(draftInput(up, locale, "A"));
      const recap = { digest: up, copy, hiddenFactIds: [], accountName: "Kide Analytics Oy" } as never;
      const view = buildStoryView({
        recap,
        tenant,
        locale,
        redirectHref: "/r/x",
        cardUrl: null,
        serviceOrigin: "https://recap.example",
      });
      expect(view.hero?.id, locale).toBe("metric:discounts_captured");
      expect(view.hero?.change, locale).toBeNull();
    }
  });

  it("and the zero pattern itself catches the old sentences but not 10 % or 1 000 %", () => {
    expect("Erinevus eelneva perioodiga on 0%.").toMatch(ZERO_PERCENT);
    expect("Die Veränderung beträgt −0 %.").toMatch(ZERO_PERCENT);
    expect("That is +0% on last quarter.").toMatch(ZERO_PERCENT);
    expect("Top 10\u00a0%, +1\u00a0000 %, 20%, 0,5 %").not.toMatch(ZERO_PERCENT);
  });
});
