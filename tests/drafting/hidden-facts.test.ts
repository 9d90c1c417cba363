import { describe, expect, it } from "vitest";
import type { RecapCopy } from "../../src/drafting/copy.schema.js";
import type { OkDigest } from "../../src/drafting/drafter.types.js";
import { type AllowedNumber, allowedNumbers, allowedPhrase } from "../../src/drafting/fact-check.js";
import { factCheckHiding, hiddenFactLeaksIn, visibleDigest } from "../../src/drafting/hidden-facts.js";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { buildDigest } from "../../src/usage/digest.js";
import { digestInput, hoursErrorsReports, ok, Q2_2026, Q3_2026 } from "../support/digests.js";

/** Q3 2026: 1 284 h saved (from 980 h, +31 %, worth 12 840 €), 150 errors (from 200), 48 reports. */
function recapDigest(): OkDigest {
  const { metrics, values } = hoursErrorsReports();
  return ok(
    buildDigest(digestInput(metrics, values, { period: Q3_2026, previousPeriod: Q2_2026, currency: "EUR" })),
    "the fixture digest must be ok",
  );
}

const digest = recapDigest();
const HOURS = "metric:hours_saved";

function copyWith(post: string): RecapCopy {
  return {
    headline: "Our Q3 2026, measured",
    subheadline: "A quarter of steady work",
    highlights: [
      { factId: "metric:errors", text: "150 errors, down from 200" },
      { factId: "metric:reports", text: "48 reports built" },
    ],
    linkedinPost: post,
    callToAction: "See your own recap",
    imageAlt: "A card with our numbers",
    transparencyNote: "Measured from our own usage.",
  };
}

const leaksIn = (post: string, locale: SupportedLocale = "en") =>
  hiddenFactLeaksIn(copyWith(post), allowedNumbers(digest), locale, { digest, hiddenFactIds: [HOURS] });

describe("the hidden-fact check", () => {
  it("leaves a hidden fact, its place in the headline and its chart out of what drafters and templates see", () => {
    const visible = visibleDigest(digest, [HOURS]);
    expect(visible.facts.map((fact) => fact.id)).not.toContain(HOURS);
    expect(visible.headline).not.toContain(HOURS);
    expect(visible.facts).toHaveLength(digest.facts.length - 1);
    if (digest.chart?.metricKey === "hours_saved") expect(visible.chart).toBeNull();
    expect(visibleDigest(digest, [])).toBe(digest);
  });

  it.each([
    ["en", "We automated 1,284 h of manual work."],
    ["en", "We automated 1284 hours of manual work."],
    ["en", "We automated 1.3k hours of manual work."],
    ["en", "We automated about 1,300 hours of manual work."],
    ["en", "We automated 1 284 hours (written the Nordic way)."],
    ["en", "Worth €12,840 to us."],
    ["en", "Up 31 % on last quarter."],
    ["en", "Up from 980 hours last quarter."],
    ["de", "Wir haben 1.284 Std. manuelle Arbeit automatisiert."],
    ["fi", "Automatisoimme 1 284 tuntia käsityötä."],
    ["et", "Säästsime 1 284 tundi, väärt 12 840 €."],
    ["sv", "Vi automatiserade bort 1 284 timmar manuellt arbete."],
  ] as const)("flags a hidden fact's number in %s: %s", (locale, post) => {
    const leaks = leaksIn(post, locale);
    expect(leaks.length).toBeGreaterThan(0);
    expect(leaks[0]).toMatchObject({ field: "linkedinPost", factId: HOURS });
  });

  it("does not flag the visible facts' numbers, the period, or a number far from the hidden one", () => {
    expect(leaksIn("150 errors (down 25 % from 200) and 48 reports in Q3 2026. We are 2 years in.")).toEqual([]);
    expect(leaksIn("We ran 5,000 workflows.")).toEqual([]);
    // The account is called "Team 1284": its digits are its name, not the hidden hours.
    const named = [...allowedNumbers(digest), allowedPhrase("Team 1284", "account name")].filter(
      (a): a is AllowedNumber => a !== null,
    );
    const copy = copyWith("Team 1284 thanks everyone.");
    expect(hiddenFactLeaksIn(copy, named, "en", { digest, hiddenFactIds: [HOURS] })).toEqual([]);
  });

  it("fails the fact-check with a reason a drafter can act on, listing only numbers it may use", () => {
    const result = factCheckHiding(copyWith("We automated 1,284 h of manual work."), allowedNumbers(digest), "en", {
      digest,
      hiddenFactIds: [HOURS],
    });
    expect(result.ok).toBe(false);
    expect(result.mismatches[0]?.reason).toContain("chose to hide");
    expect(result.allowedAsWritten?.join(" ")).not.toContain("1,284");
    const clean = factCheckHiding(copyWith("48 reports, 150 errors."), allowedNumbers(digest), "en", {
      digest,
      hiddenFactIds: [HOURS],
    });
    expect(clean.ok).toBe(true);
  });
});
