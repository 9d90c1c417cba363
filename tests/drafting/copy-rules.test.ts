import { describe, expect, it } from "vitest";
import { type RecapCopy, recapCopySchema } from "../../src/drafting/copy.schema.js";
import { findLinks } from "../../src/drafting/copy-rules.js";
import { allowedFor, draftCopy, printedNames } from "../../src/drafting/draft-copy.js";
import type { DraftInput } from "../../src/drafting/drafter.types.js";
import { describeMismatches, factCheck } from "../../src/drafting/fact-check.js";
import { scanNumbers } from "../../src/drafting/number-extraction.js";
import { createTemplateDrafter } from "../../src/drafting/template-drafter.js";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { draftInput, generatedDigestSet } from "../support/digests.js";

const DIGEST = generatedDigestSet(1)[0]!;

/** The template drafter's copy for the generated digest: clean, so whatever a test adds is what is flagged. */
async function cleanDraft(locale: SupportedLocale, overrides: Partial<DraftInput> = {}) {
  const input = draftInput(DIGEST, locale, "A", overrides);
  const attempt = await createTemplateDrafter().draft(input, []);
  if (!attempt.ok) throw new Error(attempt.reasons.join("; "));
  return { input, copy: attempt.copy };
}

const check = (input: DraftInput, copy: RecapCopy) =>
  factCheck(copy, allowedFor(input), input.locale, { names: printedNames(input) });

/** The copy with `text` added to the end of the LinkedIn post. */
const withPost = (copy: RecapCopy, text: string): RecapCopy => ({
  ...copy,
  linkedinPost: `${copy.linkedinPost} ${text}`,
});

describe("the template drafter's copy for the fixture", () => {
  it("passes every rule in every language, so each test below sees only what it adds", async () => {
    for (const locale of ["en", "et", "fi", "de", "sv"] as const) {
      const { input, copy } = await cleanDraft(locale);
      expect(check(input, copy)).toMatchObject({ ok: true, mismatches: [], problems: [] });
    }
  });
});

describe("links", () => {
  it.each([
    ["evil-example.com/claim", "Claim your prize at evil-example.com/claim today"],
    ["t.co/abc", "More at t.co/abc"],
    ["example.com", "Read example.com."],
    ["ｔ．ｃｏ/abc", "More at ｔ．ｃｏ/abc"],
    ["team@example.com", "Write to team@example.com"],
  ])("finds %j, a link a reader or LinkedIn would follow", (link, text) => {
    expect(findLinks(text).map((found) => found.text)).toEqual([link]);
  });

  it.each([
    "Q3 2026",
    "1.5× the return",
    "e.g. the reports",
    "up 3.2 %",
    "Kide Analytics",
    "i.e. more",
    "Nordlicht GmbH.",
    "8.1×",
  ])("finds no link in %j", (text) => {
    expect(findLinks(text)).toEqual([]);
  });

  it("flags a bare link in the copy, naming the field and the link", async () => {
    const { input, copy } = await cleanDraft("en");
    const result = check(input, withPost(copy, "Claim it at evil-example.com/claim"));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ field: "linkedinPost", rule: "link", text: "evil-example.com/claim" }),
    ]);
    expect(describeMismatches(result)[0]).toMatch(/^linkedinPost: "evil-example.com\/claim" reads as a link/);
  });

  it("flags t.co/abc in a highlight too: every copy field is checked", async () => {
    const { input, copy } = await cleanDraft("en");
    const highlights = copy.highlights.map((highlight, index) =>
      index === 0 ? { ...highlight, text: `${highlight.text} t.co/abc` } : highlight,
    );
    const result = check(input, { ...copy, highlights });
    expect(result.problems).toEqual([expect.objectContaining({ field: "highlights.0.text", text: "t.co/abc" })]);
  });

  it("allows an account name that is a domain where the name itself is printed, but not a path after it", async () => {
    const { input, copy } = await cleanDraft("en", { account: { name: "Acme.io" } });
    expect(copy.headline + copy.linkedinPost).toContain("Acme.io");
    expect(check(input, copy).ok).toBe(true);
    const result = check(input, withPost(copy, "See acme.io/claim"));
    expect(result.problems).toEqual([expect.objectContaining({ rule: "link", text: "acme.io/claim" })]);
  });

  it("does not allow a link with a path because an account is named after it", async () => {
    const { input, copy } = await cleanDraft("en", { account: { name: "t.co/abc" } });
    expect(copy.headline + copy.linkedinPost).toContain("t.co/abc");
    const result = check(input, copy);
    expect(result.ok).toBe(false);
    expect(result.problems?.map((problem) => problem.text)).toContain("t.co/abc");
  });

  it("keeps the template copy for such a name but flags it for a reviewer, instead of failing the recap", async () => {
    const template = createTemplateDrafter();
    const input = draftInput(DIGEST, "en", "A", { account: { name: "t.co/abc" } });
    const outcome = await draftCopy(input, { drafter: template, template, llmAllowed: true, now: new Date(0) });
    expect(outcome.factCheck.ok).toBe(false);
    expect(outcome.factCheck.problems?.[0]).toMatchObject({ rule: "link", text: "t.co/abc" });
  });
});

describe("markup", () => {
  it.each([
    "<img src=x onerror=alert(1)",
    "<script>alert(1)</script>",
    "</b> closed",
    "<!-- note -->",
    "＜img src=x onerror=alert(1)",
  ])("the copy schema refuses %j, closed or not", async (markup) => {
    const { copy } = await cleanDraft("en");
    const parsed = recapCopySchema.safeParse(withPost(copy, markup));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["linkedinPost"], message: /without HTML or tags/ });
  });

  it.each(["fewer than < 5 errors", "we <3 it", "1 < 2"])("the copy schema lets %j through", async (text) => {
    const { copy } = await cleanDraft("en");
    expect(recapCopySchema.safeParse(withPost(copy, text)).success).toBe(true);
  });
});

describe("numbers the fact-check cannot read", () => {
  it.each([
    ["en", "𝟗𝟗𝟗𝟗 hours saved", "𝟗𝟗𝟗𝟗 hours"],
    ["en", "Top ¹%", "¹%"],
    ["en", "Ⅻ times faster", "Ⅻ"],
    ["en", "⑨⑨ errors caught", "⑨⑨"],
    ["fi", "säästimme １２８４ tuntia", "１２８４ tuntia"],
    ["en", "١٢ reports", "١٢"],
  ] as const)("%s: %j is flagged for its digits", async (locale, added, flagged) => {
    const { input, copy } = await cleanDraft(locale);
    const result = check(input, withPost(copy, added));
    expect(result.ok).toBe(false);
    expect(result.mismatches).toEqual([
      expect.objectContaining({ field: "linkedinPost", text: flagged, reason: "uses digits other than 0–9" }),
    ]);
  });

  it.each([
    ["Studio Ⅻ", "Ⅻ"],
    ["Acme²", "²"],
    ["Ninety Nine Ltd", "ninety"],
  ])("lets them stand inside a name the copy prints (%j), and nowhere else", async (name, stray) => {
    const { input, copy } = await cleanDraft("en", { account: { name } });
    expect(copy.headline + copy.linkedinPost).toContain(name);
    expect(check(input, copy).ok).toBe(true);
    expect(check(input, withPost(copy, `and ${stray} more`)).mismatches).toEqual([
      expect.objectContaining({ text: stray, field: "linkedinPost" }),
    ]);
  });

  it.each([
    ["en", "ninety hours saved", "ninety"],
    ["en", "a hundred reports", "hundred"],
    ["de", "neunzig Stunden gespart", "neunzig"],
    ["de", "dreiundzwanzig Berichte", "dreiundzwanzig"],
    ["fi", "yhdeksänkymmentä tuntia", "yhdeksänkymmentä"],
    ["fi", "kolmetoista raporttia", "kolmetoista"],
    ["et", "üheksakümmend tundi", "üheksakümmend"],
    ["et", "kolmteist aruannet", "kolmteist"],
    ["sv", "nittio timmar", "nittio"],
    ["sv", "tvåhundra rapporter", "tvåhundra"],
  ] as const)("%s: %j is flagged as a number in words past twelve", async (locale, added, flagged) => {
    const { input, copy } = await cleanDraft(locale);
    const result = check(input, withPost(copy, added));
    expect(result.mismatches).toEqual([
      expect.objectContaining({ field: "linkedinPost", text: flagged, reason: expect.stringMatching(/in words/) }),
    ]);
  });

  it.each([
    ["fi", "toista kertaa peräkkäin"],
    ["fi", "satama ja toistuva raportti"],
    ["et", "teist korda"],
    ["de", "regelmäßig und fleißig"],
    ["en", "the third quarter"],
    ["sv", "en ny vana"],
  ] as const)("%s: %j holds no number", (locale, text) => {
    expect(scanNumbers(text, locale)).toEqual([]);
  });
});

describe("hashtags", () => {
  it("counts a full-width ＃tag after normalising, so a fourth one is refused", async () => {
    const { copy } = await cleanDraft("en");
    const base = { ...copy, linkedinPost: "We saved time this quarter. #one #two #three" };
    expect(recapCopySchema.safeParse(base).success).toBe(true);
    const parsed = recapCopySchema.safeParse({ ...base, linkedinPost: `${base.linkedinPost} ＃tag` });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["linkedinPost"], message: "at most 3 hashtags" });
  });
});

describe("language", () => {
  it("flags German copy for an English recap, field by field", async () => {
    const { copy } = await cleanDraft("de");
    const { input } = await cleanDraft("en");
    const result = check(input, copy);
    expect(result.ok).toBe(false);
    const fields = result.problems?.filter((problem) => problem.rule === "language").map((problem) => problem.field);
    expect(fields).toContain("linkedinPost");
    expect(result.problems?.find((problem) => problem.field === "linkedinPost")?.reason).toBe(
      "reads as German (de), but this recap is in English (en)",
    );
  });

  it("does not judge a short headline of names and numbers", async () => {
    const { input, copy } = await cleanDraft("en", { account: { name: "Nordlicht Logistik GmbH" } });
    const result = check(input, { ...copy, headline: "Nordlicht Logistik GmbH: 579 h" });
    expect(result.problems).toEqual([]);
  });
});
