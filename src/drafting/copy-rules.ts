import { find as findLinkLike } from "linkifyjs";
import type { SupportedLocale } from "../i18n/locales.js";
import { copyTexts, type RecapCopy } from "./copy.schema.js";
import { languageMismatch } from "./language-check.js";
import { foldText, originalSpan } from "./text-fold.js";

/**
 * The copy rules that are not about numbers: no link a reader or LinkedIn would follow, and the
 * copy in the recap's language. The schema refuses schemes, "www." and tags outright; a bare
 * domain needs the names the copy may print ("Acme.io"), so it is checked here, with them.
 * See docs/fact-check.md.
 */
export type CopyProblem = {
  field: string;
  rule: "link" | "language";
  /** The text the rule found (the link; for a language, the whole field). */
  text: string;
  start: number;
  end: number;
  /** Why, in short English. */
  reason: string;
};

export type CopyRuleContext = {
  locale: SupportedLocale;
  /** The names the copy may print as they are (account, product, company): a domain inside one is no link. */
  names?: readonly string[];
};

/** Where each name stands in `text`, case-insensitively. */
export function nameSpans(text: string, names: readonly string[]): [number, number][] {
  // Lower case only where it keeps every index ("İ" lower-cases to two code units).
  const fold = (value: string) => (value.toLowerCase().length === value.length ? value.toLowerCase() : value);
  const lower = fold(text);
  const spans: [number, number][] = [];
  for (const name of names) {
    const needle = fold(name);
    if (needle.length === 0) continue;
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1))
      spans.push([at, at + needle.length]);
  }
  return spans;
}

/**
 * Everything LinkedIn or a mail client would turn into a link: a domain with a known top-level
 * domain (linkifyjs keeps the list), with or without a scheme or a path, and an e-mail address.
 * Read on the folded text, so "ｔ．ｃｏ/abc" is "t.co/abc". Not "e.g.", "Q3 2026" or "1.5×".
 */
export function findLinks(text: string, names: readonly string[] = []): { text: string; start: number; end: number }[] {
  const folded = foldText(text);
  // A domain has a dot before a letter, an address an "@": most copy has neither, and is done here.
  if (!/[.@]\p{L}/u.test(folded.text)) return [];
  const allowed = nameSpans(text, names);
  const links: { text: string; start: number; end: number }[] = [];
  for (const match of findLinkLike(folded.text)) {
    if (match.type !== "url" && match.type !== "email") continue;
    const { start, end } = originalSpan(folded, match.start, match.end, text);
    // A company may be called "Acme.io"; no company is called "t.co/abc": only a bare domain passes.
    const bareDomain = match.type === "url" && /^[\p{L}\p{N}.-]+$/u.test(match.value);
    if (bareDomain && allowed.some(([from, to]) => from <= start && end <= to)) continue;
    links.push({ text: text.slice(start, end), start, end });
  }
  return links;
}

/** Every link and wrong-language field in the copy. */
export function copyRuleProblems(copy: RecapCopy, context: CopyRuleContext): CopyProblem[] {
  const names = context.names ?? [];
  const problems: CopyProblem[] = [];
  for (const { field, text } of copyTexts(copy)) {
    for (const link of findLinks(text, names))
      problems.push({
        field,
        rule: "link",
        ...link,
        reason: "reads as a link; copy has no links or web addresses (the share link is added separately)",
      });
    const language = languageMismatch(text, context.locale, names);
    if (language) problems.push({ field, rule: "language", text, start: 0, end: text.length, reason: language });
  }
  return problems;
}
