import { describe, expect, it } from "vitest";
import { printedNames } from "../../src/drafting/draft-copy.js";
import { allowedNumbers, factCheck } from "../../src/drafting/fact-check.js";
import { scanNumbers } from "../../src/drafting/number-extraction.js";
import { createTemplateDrafter } from "../../src/drafting/template-drafter.js";
import { formatFact } from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import type { Fact } from "../../src/usage/digest.types.js";
import { generatedDigestSet, generatedRecaps } from "../support/digests.js";

const DIGESTS = generatedDigestSet(220);

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
    for (const { index, input, names } of generatedRecaps(DIGESTS)) {
      const { locale, variant } = input;
      const attempt = await drafter.draft(input, []);
      if (!attempt.ok) {
        failures.push(`digest ${index} ${locale} ${variant}: drafter failed: ${attempt.reasons.join("; ")}`);
        continue;
      }
      const result = factCheck(attempt.copy, allowedNumbers(input.digest, names), locale, {
        names: printedNames(input),
      });
      checked += result.numbers.length;
      for (const number of result.mismatches)
        failures.push(`digest ${index} ${locale} ${variant} ${number.field}: "${number.text}" ${number.reason}`);
      // No link, and no field taken for another language: the language check's false positives are 0.
      for (const problem of result.problems ?? [])
        failures.push(`digest ${index} ${locale} ${variant} ${problem.field}: "${problem.text}" ${problem.reason}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(DIGESTS.length * 10 * 5);
  });

  it("and the same German copy checked as an English recap's is flagged as German in every LinkedIn post", async () => {
    const drafter = createTemplateDrafter();
    let posts = 0;
    const missed: string[] = [];
    for (const { index, input, names } of generatedRecaps(DIGESTS)) {
      if (input.locale !== "de") continue;
      const attempt = await drafter.draft(input, []);
      if (!attempt.ok) continue;
      const result = factCheck(attempt.copy, allowedNumbers(input.digest, names), "en", {
        names: printedNames(input),
      });
      posts++;
      const flagged = result.problems?.some(
        (problem) => problem.rule === "language" && problem.field === "linkedinPost" && problem.reason.includes("(de)"),
      );
      if (!flagged || result.ok) missed.push(`digest ${index} ${input.variant}: ${attempt.copy.linkedinPost}`);
    }
    expect(posts).toBe(DIGESTS.length * 2);
    expect(missed.slice(0, 5)).toEqual([]);
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
