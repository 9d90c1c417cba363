import { describe, expect, it } from "vitest";
import { allowedFor, printedNames } from "../../src/drafting/draft-copy.js";
import type { CopyVariant, DraftInput } from "../../src/drafting/drafter.types.js";
import { factCheck } from "../../src/drafting/fact-check.js";
import { createTemplateDrafter } from "../../src/drafting/template-drafter.js";
import { formatFact } from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { digest } from "../rendering/fixtures.js";

const MOMENT = "First integration live";

function input(locale: SupportedLocale, variant: CopyVariant, label: string): DraftInput {
  const base = digest();
  const trailing = { ...base, period: { ...base.period, label } };
  return {
    digest: trailing,
    formatted: trailing.facts.map((fact) => formatFact(fact, locale, trailing.currency)),
    locale,
    variant,
    kind: "milestone",
    milestone: "first integration.added",
    moment: MOMENT,
    account: { name: "Kide Analytics Oy" },
    tenant: { name: "Flowbase Inc", productName: "Flowbase" },
  };
}

/** What each locale's transparency line must say about the window. */
const WINDOW_WORDS: Record<SupportedLocale, [string, string, string]> = {
  en: ["in the last 90 days", "since you started", "in the last day"],
  et: ["viimase 90 päeva jooksul", "algusest peale", "viimase päeva jooksul"],
  fi: ["viimeisten 90 päivän ajalta", "alusta asti", "viimeisen päivän ajalta"],
  de: ["in den letzten 90 Tagen", "seit Ihrem Start", "am letzten Tag"],
  sv: ["de senaste 90 dagarna", "sedan ni började", "den senaste dagen"],
};

describe("a milestone recap's template copy over a trailing window", () => {
  it("names the moment, says what made it and over which days, and passes the fact-check in every locale", async () => {
    const drafter = createTemplateDrafter();
    const failures: string[] = [];
    for (const locale of SUPPORTED_LOCALES)
      for (const variant of ["A", "B"] as const)
        for (const [label, words] of [
          ["P90D/2026-10-02", WINDOW_WORDS[locale][0]],
          ["2026-09-14/2026-10-02", WINDOW_WORDS[locale][1]],
          ["P1D/2026-10-02", WINDOW_WORDS[locale][2]],
        ] as const) {
          const draft = input(locale, variant, label);
          const attempt = await drafter.draft(draft, []);
          if (!attempt.ok) {
            failures.push(`${locale} ${variant} ${label}: ${attempt.reasons.join("; ")}`);
            continue;
          }
          const { headline, transparencyNote, imageAlt } = attempt.copy;
          if (!headline.includes(MOMENT)) failures.push(`${locale} ${variant} headline: ${headline}`);
          if (!transparencyNote.includes(MOMENT) || !transparencyNote.includes(words))
            failures.push(`${locale} ${variant} note: ${transparencyNote}`);
          if (imageAlt.includes(label)) failures.push(`${locale} ${variant} alt: ${imageAlt}`);
          const result = factCheck(attempt.copy, allowedFor(draft), locale, { names: printedNames(draft) });
          for (const number of result.mismatches)
            failures.push(`${locale} ${variant} ${number.field}: "${number.text}" ${number.reason}`);
          for (const problem of result.problems ?? [])
            failures.push(`${locale} ${variant} ${problem.field}: "${problem.text}" ${problem.reason}`);
        }
    expect(failures).toEqual([]);
  });

  it("compares with the period before the window, never with a quarter, in every locale and wording", async () => {
    const drafter = createTemplateDrafter();
    const quarterly: string[] = [];
    for (const locale of SUPPORTED_LOCALES)
      for (const variant of ["A", "B"] as const) {
        const draft = input(locale, variant, "P90D/2026-10-02");
        const attempt = await drafter.draft(draft, []);
        if (!attempt.ok) throw new Error(`${locale} ${variant}: ${attempt.reasons.join("; ")}`);
        for (const wording of [attempt.copy, ...(attempt.alternatives ?? [])]) {
          const text = JSON.stringify(wording);
          if (/quarter|kvartal|neljännes|Quartal/i.test(text)) quarterly.push(`${locale} ${variant}: ${text}`);
        }
      }
    expect(quarterly).toEqual([]);
  });
});
