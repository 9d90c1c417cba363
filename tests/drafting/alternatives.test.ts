import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecapCopy } from "../../src/drafting/copy.schema.js";
import { allowedFor, draftCopy, printedNames } from "../../src/drafting/draft-copy.js";
import { factCheck } from "../../src/drafting/fact-check.js";
import { createOpenAiDrafter } from "../../src/drafting/openai-drafter.js";
import { createTemplateDrafter, draftTemplateCopy } from "../../src/drafting/template-drafter.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { draftInput, fact, generatedDigestSet, generatedRecaps, handMadeDigest } from "../support/digests.js";
import { type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai-server.js";

const template = createTemplateDrafter();
const firstLine = (post: string) => post.split("\n")[0] ?? "";

describe("the template drafter's alternative wordings", () => {
  const recaps = generatedRecaps(generatedDigestSet(24));

  it(`offers two other wordings for each of ${recaps.length} recaps in all five languages, each passing the fact-check`, async () => {
    let headlineDiffers = 0;
    let openerDiffers = 0;
    let offered = 0;
    for (const { input } of recaps) {
      const outcome = await draftCopy(input, { drafter: template, template, llmAllowed: true, now: new Date(0) });
      expect(outcome.alternatives.length, `${input.locale} ${input.variant}`).toBe(2);
      for (const wording of outcome.alternatives) {
        offered++;
        const merged = { ...outcome.copy, ...wording };
        const checked = factCheck(merged, allowedFor(input), input.locale, { names: printedNames(input) });
        expect(checked.mismatches, `${input.locale}: ${wording.linkedinPost}`).toEqual([]);
        expect(`${wording.headline}${wording.linkedinPost}`).not.toBe(
          `${outcome.copy.headline}${outcome.copy.linkedinPost}`,
        );
        if (wording.headline !== outcome.copy.headline) headlineDiffers++;
        if (firstLine(wording.linkedinPost) !== firstLine(outcome.copy.linkedinPost)) openerDiffers++;
      }
      const [one, two] = outcome.alternatives;
      expect(one?.linkedinPost).not.toBe(two?.linkedinPost);
    }
    // Not the same sentences reshuffled: most alternatives open differently and most headlines differ.
    // Measured on these 480 alternatives: headlines 476 differ, openers 430.
    expect(openerDiffers / offered).toBeGreaterThan(0.85);
    expect(headlineDiffers / offered).toBeGreaterThan(0.95);
  });

  it("writes the second alternative as a short post of the bare numbers, led by the period", () => {
    const digest = handMadeDigest([
      fact("metric:hours_saved", "Hours saved", "hours", 1284, { changePercent: 12.5, moneyValue: 51360 }),
      fact("metric:errors_prevented", "Errors prevented", "count", 87),
      fact("roi", "Return on investment", "ratio", 8.1),
    ]);
    for (const locale of SUPPORTED_LOCALES) {
      const input = draftInput(digest, locale, "A");
      const main = draftTemplateCopy(input);
      const short = draftTemplateCopy(input, { shift: 2, periodFirst: true, shortPost: true });
      expect(short.linkedinPost.length, locale).toBeLessThan(main.linkedinPost.length);
      expect(short.headline, locale).not.toContain("Kide Analytics");
      expect(main.headline, locale).toContain("Kide Analytics");
    }
  });
});

describe("the OpenAI drafter's alternative wordings", () => {
  let openai: FakeOpenAi;
  beforeAll(async () => {
    openai = await startFakeOpenAi();
  });
  afterAll(() => openai.close());

  const digest = handMadeDigest([
    fact("metric:hours_saved", "Hours saved", "hours", 1284, { changePercent: 12.5 }),
    fact("metric:errors_prevented", "Errors prevented", "count", 87),
    fact("metric:invoices", "Invoices", "count", 9120),
  ]);
  const input = draftInput(digest, "en", "A", { account: { name: "Harbor Labs" } });
  const copy: RecapCopy = {
    headline: "Harbor Labs automated 1,284 hours",
    subheadline: "Q3 2026 with Flowbase, measured from our own usage.",
    highlights: [
      { factId: "metric:hours_saved", text: "We automated 1,284 hours of manual work." },
      { factId: "metric:errors_prevented", text: "We caught 87 errors before any customer saw them." },
      { factId: "metric:invoices", text: "We sent 9,120 invoices without typing one." },
    ],
    linkedinPost: "Our Q3 2026 with Flowbase: 1,284 hours automated and 87 errors caught. #automation",
    callToAction: "See what you could save",
    imageAlt: "Recap card: 1,284 hours automated, 87 errors caught, 9,120 invoices.",
    transparencyNote: "Measured from our own usage of Flowbase in Q3 2026; drafted with AI and checked by people.",
  };

  it("asks for two alternatives in the same structured reply, and offers only those whose numbers check out", async () => {
    const good = {
      headline: "1,284 hours back for the Harbor Labs team",
      linkedinPost: "We gave 1,284 hours of manual work to Flowbase this quarter, and caught 87 errors on the way.",
    };
    const wrong = { headline: "Harbor Labs saved 1,300 hours", linkedinPost: "We saved 1,300 hours with Flowbase." };
    openai.reply({ json: { ...copy, alternatives: [good, wrong] } });
    const drafter = createOpenAiDrafter({
      apiKey: "sk-test-alternatives",
      baseURL: openai.baseURL,
      model: "gpt-test",
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    const outcome = await draftCopy(input, { drafter, template, llmAllowed: true, maxRetries: 0, now: new Date(0) });
    expect(outcome.record.drafter).toBe("openai");
    expect(outcome.copy.headline).toBe(copy.headline);
    expect(outcome.alternatives[0]).toEqual(good);
    expect(JSON.stringify(outcome.alternatives)).not.toContain("1,300");
    // The model offered one good one: the templates top the choice up to two.
    expect(outcome.alternatives).toHaveLength(2);
    const schema = openai.requests.at(-1)?.body.response_format?.json_schema?.schema as {
      required: string[];
      properties: { alternatives: { minItems: number; items: { required: string[] } } };
    };
    expect(schema.required).toContain("alternatives");
    expect(schema.properties.alternatives.minItems).toBe(2);
    expect(schema.properties.alternatives.items.required).toEqual(["headline", "linkedinPost"]);
  });

  it("keeps the copy when a reply has no alternatives or broken ones, and never offers a hidden number", async () => {
    openai.reply({
      json: { ...copy, alternatives: [{ headline: "x".repeat(61), linkedinPost: "ok" }, "not an object"] },
    });
    const drafter = createOpenAiDrafter({
      apiKey: "sk-test-alternatives",
      baseURL: openai.baseURL,
      model: "gpt-test",
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    const hidden = { digest, hiddenFactIds: ["metric:invoices"] };
    const visible = handMadeDigest(digest.facts.filter((item) => item.id !== "metric:invoices"));
    const hiddenInput = draftInput(visible, "en", "A", { account: { name: "Harbor Labs" } });
    const twoFacts: RecapCopy = {
      ...copy,
      highlights: copy.highlights.slice(0, 2),
      imageAlt: "Recap card: 1,284 hours automated, 87 errors caught.",
    };
    openai.reply({
      json: {
        ...twoFacts,
        alternatives: [
          { headline: "9,120 invoices and counting", linkedinPost: "We sent 9,120 invoices with Flowbase." },
          { headline: "87 errors caught early", linkedinPost: "Flowbase caught 87 errors before our customers did." },
        ],
      },
    });
    const first = await draftCopy(input, { drafter, template, llmAllowed: true, maxRetries: 0, now: new Date(0) });
    expect(first.copy.headline).toBe(copy.headline);
    expect(first.alternatives.every((wording) => wording.headline.length <= 60)).toBe(true);
    const second = await draftCopy(hiddenInput, {
      drafter,
      template,
      llmAllowed: true,
      maxRetries: 0,
      hidden,
      now: new Date(0),
    });
    expect(second.record.drafter).toBe("openai");
    expect(JSON.stringify(second.alternatives)).not.toContain("9,120");
    expect(second.alternatives[0]?.headline).toBe("87 errors caught early");
  });
});
