import {
  formatMoney,
  formatNumber,
  formatPercent,
  formatRatio,
  formatValue,
  parseTrailingLabel,
} from "../i18n/format.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../i18n/locales.js";
import type { DisplayUnit } from "../usage/digest.types.js";
import { copyTexts, type RecapCopy } from "./copy.schema.js";
import { type CopyProblem, copyRuleProblems, nameSpans } from "./copy-rules.js";
import type { OkDigest } from "./drafter.types.js";
import { type FoundNumber, type NumberKind, type ScannedNumber, scanNumbers } from "./number-extraction.js";

export type { CopyProblem } from "./copy-rules.js";
export { extractNumbers, type FoundNumber } from "./number-extraction.js";

/**
 * The fact-check: every number in the copy must be one of the digest's numbers (or a number the
 * caller vouches for, such as the digits of a name), written the way the copy's language writes
 * numbers. Pure and fast; the rules and their reasons are in docs/fact-check.md.
 */

/** What an allowed number is; decides which written numbers may match it. */
type FactRole = "value" | "previous" | "change" | "multiple" | "band" | "money";
export type AllowedRole = FactRole | "year" | "quarter" | "constant" | "phrase";

export type AllowedNumber = {
  value: number;
  /** "metric:hours_saved value", "metric:hours_saved change", "period year", "constant highlights"… */
  source: string;
  factId?: string;
  /** Absent (as in numbers a caller adds): any written number of that value matches. */
  role?: AllowedRole;
  /** The display unit of a value or previous value, for "h"/"%"/"€" checks and for feedback. */
  unit?: DisplayUnit;
  /** −1 for a fall: a "+" in front of it is a mismatch. Otherwise the sign of `value`. */
  sign?: -1 | 1;
  currency?: string;
  /** For role "phrase": any number inside this text, quoted verbatim (a name such as "Team 42"). */
  phrase?: string;
};

export type CheckedNumber = FoundNumber & {
  field: string;
  match: AllowedNumber | null;
  /** Why it matches nothing, in short English; only on mismatches. */
  reason?: string;
};
export type FactCheckResult = {
  /** No mismatch and no problem: the copy may be approved (automatically, under `auto_when_clean`). */
  ok: boolean;
  numbers: CheckedNumber[];
  mismatches: CheckedNumber[];
  /** Links and wrong-language fields (copy-rules.ts). Absent in results stored before they were checked. */
  problems?: CopyProblem[];
  /** The allowed numbers as the copy's language writes them, for feedback; only when something failed. */
  allowedAsWritten?: string[];
};

const QUARTER_LABEL = /^(\d{4})-Q([1-4])$/;
const YEAR_LABEL = /^(\d{4})$/;

/** A name or label with digits in it ("Team 42"): its numbers may appear inside it, nowhere else. */
export function allowedPhrase(phrase: string, source: string): AllowedNumber | null {
  const first = /\d+/.exec(phrase);
  return first ? { value: Number(first[0]), source, role: "phrase", phrase } : null;
}

/** Every number the copy may print for this digest, plus `extra` from the caller (a milestone's). */
export function allowedNumbers(digest: OkDigest, extra: AllowedNumber[] = []): AllowedNumber[] {
  const allowed: AllowedNumber[] = [];
  const currency = digest.currency;
  for (const fact of digest.facts) {
    const base = { factId: fact.id, currency };
    const add = (role: AllowedRole, value: number, unit: DisplayUnit, sign?: -1 | 1) =>
      allowed.push({ value, source: `${fact.id} ${role}`, role, unit, ...base, ...(sign ? { sign } : {}) });
    add("value", fact.value, fact.unit);
    if (fact.previousValue !== null) add("previous", fact.previousValue, fact.unit);
    const change = fact.changePercent;
    if (change !== null) {
      add("change", Math.abs(change), "percent", change < 0 ? -1 : change > 0 ? 1 : undefined);
      // "2.5× as many" for +150 %: the same change said as a multiple.
      if (change > 0) add("multiple", 1 + change / 100, "ratio");
    }
    if (fact.percentileBand !== null) add("band", fact.percentileBand, "percent");
    if (fact.moneyValue !== null) add("money", fact.moneyValue, "money");
    const label = allowedPhrase(fact.label, `${fact.id} label`);
    if (label) allowed.push({ ...label, factId: fact.id });
  }
  for (const [period, name] of [
    [digest.period, "period"],
    [digest.previousPeriod, "previous period"],
  ] as const) {
    // A year in review's label is the year alone ("2026").
    const match = QUARTER_LABEL.exec(period.label) ?? YEAR_LABEL.exec(period.label);
    if (!match) continue;
    if (!allowed.some((number) => number.role === "year" && number.value === Number(match[1])))
      allowed.push({ value: Number(match[1]), source: `${name} year`, role: "year" });
    if (match[2] !== undefined) allowed.push({ value: Number(match[2]), source: `${name} quarter`, role: "quarter" });
  }
  // A trailing window's length, as its label prints it ("the last 90 days").
  const trailing = parseTrailingLabel(digest.period.label);
  if (trailing && "days" in trailing)
    allowed.push({ value: trailing.days, source: "period days", role: "value", unit: "days" });
  // "Three numbers from our quarter": how many facts the copy highlights, in words only.
  const highlighted = Math.min(3, digest.headline.length);
  if (highlighted >= 2) allowed.push({ value: highlighted, source: "constant highlights", role: "constant" });
  return [...allowed, ...extra];
}

const isValue = (allowed: AllowedNumber) => allowed.role === "value" || allowed.role === "previous";

/** Whether a number written like `found` may stand for `allowed` at all, whatever its value. */
function roleFits(found: ScannedNumber, allowed: AllowedNumber): boolean {
  const { role, unit } = allowed;
  if (role === undefined) return true;
  switch (found.kind) {
    case "quarter":
      return role === "quarter";
    case "percent":
      if (found.sign !== 0) return role === "change";
      return role === "change" || role === "band" || (isValue(allowed) && unit === "percent");
    case "money":
      return role === "money" || (isValue(allowed) && unit === "money");
    case "ratio":
      return role === "multiple" || (isValue(allowed) && unit === "ratio");
    case "hours":
    case "minutes":
    case "days":
      return isValue(allowed) && unit === found.kind;
    case "plain":
      return role === "constant" ? found.spelled : role !== "quarter" && role !== "multiple" && role !== "phrase";
  }
}

/** Equal once the allowed value is rounded (half away from zero) to the last digit the text shows. */
function valueFits(found: ScannedNumber, allowed: AllowedNumber): boolean {
  const steps = (value: number) => Math.floor(Math.abs(value) / found.step + 0.5 + 1e-9);
  return steps(allowed.value) === steps(found.value);
}

const MARKERS = new Map<string, Set<string>>();
const CURRENCY_WORDS: [RegExp, string][] = [
  [/^euro/, "EUR"],
  [/^(kr|kron|kruunu|krooni)/, "SEK NOK DKK ISK"],
  [/^dollar/, "USD CAD AUD NZD SGD HKD"],
  [/^pound/, "GBP"],
  [/^franken/, "CHF"],
];

/** "€", "kr", "SEK", "euroa": whether the currency written is the digest's. */
function currencyFits(found: ScannedNumber, allowed: AllowedNumber): boolean {
  const code = allowed.currency;
  if (!found.currency || !code) return true;
  let markers = MARKERS.get(code);
  if (!markers) {
    markers = new Set([code.toLowerCase()]);
    for (const locale of SUPPORTED_LOCALES)
      for (const currencyDisplay of ["symbol", "narrowSymbol"] as const) {
        const parts = new Intl.NumberFormat(locale, { style: "currency", currency: code, currencyDisplay });
        markers.add(
          parts
            .formatToParts(1)
            .find((part) => part.type === "currency")
            ?.value.toLowerCase() ?? code,
        );
      }
    MARKERS.set(code, markers);
  }
  const marker = found.currency.toLowerCase().replace(/\.$/, "");
  return markers.has(marker) || CURRENCY_WORDS.some(([word, codes]) => word.test(marker) && codes.includes(code));
}

function signFits(found: ScannedNumber, allowed: AllowedNumber): boolean {
  const sign = allowed.sign ?? Math.sign(allowed.value);
  return found.sign === 0 || (found.sign < 0 ? sign < 0 : sign >= 0);
}

function writtenValue(allowed: AllowedNumber, locale: SupportedLocale): string {
  const { value, unit, currency = "EUR" } = allowed;
  switch (allowed.role) {
    case "change":
      return formatPercent((allowed.sign ?? 1) * value, locale, { signed: true });
    case "band":
      return `top ${formatPercent(value, locale)}`;
    case "money":
      return formatMoney(value, locale, currency);
    case "multiple":
      return formatRatio(Math.round(value * 10) / 10, locale);
    case "quarter":
      return `Q${value}`;
    case "constant":
      return `${value} (in words)`;
    case "year":
      return String(value);
    default:
      return unit ? formatValue(value, unit, locale, currency) : formatNumber(value, locale, 2);
  }
}

/** The allowed number as the copy's language writes it, with where it comes from. */
const written = (allowed: AllowedNumber, locale: SupportedLocale) =>
  `${writtenValue(allowed, locale)} (${allowed.source})`;

const KIND_NAMES: Partial<Record<NumberKind, string>> = { plain: "a bare number", percent: "a %", ratio: "a multiple" };

/**
 * True when the number is printed as part of the phrase: the text up to the number's end reads as
 * the phrase's start. Only the start, because a long name may be cut with an ellipsis after it.
 */
function insidePhrase(text: string, found: ScannedNumber, phrase: string): boolean {
  const lower = text.toLowerCase();
  const needle = phrase.toLowerCase();
  const written = lower.slice(found.start, found.end);
  for (let offset = needle.indexOf(written); offset >= 0; offset = needle.indexOf(written, offset + 1)) {
    const start = found.start - offset;
    if (start >= 0 && lower.slice(start, found.end) === needle.slice(0, offset + written.length)) return true;
  }
  return false;
}

const fits = (found: ScannedNumber, a: AllowedNumber) =>
  roleFits(found, a) && valueFits(found, a) && signFits(found, a) && currencyFits(found, a);

/** Why nothing matched, with the nearest allowed number as a hint. */
function reasonFor(found: ScannedNumber, scoped: AllowedNumber[], all: AllowedNumber[], locale: SupportedLocale) {
  const near = all.filter((a) => roleFits(found, a) && valueFits(found, a));
  const wrongSign = near.find((a) => !signFits(found, a));
  if (wrongSign) return `has the wrong sign; the fact is ${written(wrongSign, locale)}`;
  const wrongCurrency = near.find((a) => !currencyFits(found, a));
  if (wrongCurrency) return `is in the wrong currency; the fact is ${written(wrongCurrency, locale)}`;
  const elsewhere = near.find((a) => !scoped.includes(a));
  if (elsewhere) return `belongs to another fact (${written(elsewhere, locale)}), not to this highlight's`;
  const otherKind = all.find((a) => a.role !== "phrase" && valueFits(found, a) && !roleFits(found, a));
  if (otherKind)
    return `is written as ${KIND_NAMES[found.kind] ?? found.kind}, but that value is ${written(otherKind, locale)}`;
  const candidates = scoped.filter((a) => a.role !== "constant" && roleFits(found, a));
  const distance = (a: AllowedNumber) => Math.abs(Math.log((Math.abs(a.value) + 1) / (Math.abs(found.value) + 1)));
  const closest = candidates.sort((a, b) => distance(a) - distance(b))[0];
  return `matches no fact${closest ? `; the closest is ${written(closest, locale)}` : ""}`;
}

/**
 * Checks every number in every text field of the copy against the allowed numbers, and the copy
 * rules that are not about numbers (links, language). `names` are the names the copy may print as
 * they are ("Acme.io"): a domain inside one is no link, and they say nothing about the language.
 */
export function factCheck(
  copy: RecapCopy,
  allowed: AllowedNumber[],
  locale: SupportedLocale,
  options: { names?: readonly string[]; rules?: boolean } = {},
): FactCheckResult {
  const numbers: CheckedNumber[] = [];
  const mismatches: CheckedNumber[] = [];
  const phrases = allowed.filter((a) => a.role === "phrase" && a.phrase);
  for (const { field, text } of copyTexts(copy)) {
    // A highlight is about one fact: its numbers must be that fact's (or the period's, or a name's).
    const highlight = /^highlights\.(\d+)\./.exec(field);
    const factId = highlight ? copy.highlights[Number(highlight[1])]?.factId : undefined;
    const scoped =
      factId && allowed.some((a) => a.factId === factId && a.role !== "phrase")
        ? allowed.filter((a) => a.factId === undefined || a.factId === factId)
        : allowed;
    const printedNames = nameSpans(text, options.names ?? []);
    for (const found of scanNumbers(text, locale)) {
      const { text: shown, value, start, end } = found;
      const checked: CheckedNumber = { text: shown, value, start, end, field, match: null };
      // A name is printed as the customer writes it ("Studio Ⅻ", "Acme²", "Studio 1.5" in fi): what
      // would be flagged elsewhere is part of the name there, not a claim.
      const name = found.problem ? printedNames.find(([from, to]) => from <= start && end <= to) : undefined;
      if (name) checked.match = { value, source: "name", role: "phrase", phrase: text.slice(name[0], name[1]) };
      else if (found.problem) checked.reason = found.problem;
      else {
        checked.match =
          phrases.find((a) => insidePhrase(text, found, a.phrase!)) ?? scoped.find((a) => fits(found, a)) ?? null;
        if (!checked.match) checked.reason = reasonFor(found, scoped, allowed, locale);
      }
      numbers.push(checked);
      if (!checked.match) mismatches.push(checked);
    }
  }
  // `rules: false` checks the numbers alone (the copy corpus test, which checks the rules on a sample).
  const problems = options.rules === false ? [] : copyRuleProblems(copy, { locale, names: options.names ?? [] });
  const result: FactCheckResult = {
    ok: mismatches.length === 0 && problems.length === 0,
    numbers,
    mismatches,
    problems,
  };
  if (mismatches.length > 0)
    result.allowedAsWritten = allowed.filter((a) => a.role !== "phrase").map((a) => written(a, locale));
  return result;
}

/** Short English reasons, one line per problem (under 300 characters), to send back to a drafter. */
export function describeMismatches(result: FactCheckResult): string[] {
  const lines = [
    ...(result.problems ?? []).map((problem) => describeProblem(problem)),
    ...result.mismatches.map((number) => `${number.field}: "${number.text}" ${number.reason ?? "matches no fact"}`),
  ];
  if (result.mismatches.length === 0 || !result.allowedAsWritten?.length) return lines;
  let line = "Use only these numbers, written as shown:";
  for (const item of result.allowedAsWritten) {
    if (line.length + item.length + 2 > 290) {
      lines.push(line);
      line = "More numbers you may use:";
    }
    line += ` ${item};`;
  }
  lines.push(line);
  return lines;
}

/** One line for a link or a wrong-language field; a long text is cut, the reason never. */
export function describeProblem(problem: CopyProblem): string {
  const shown = problem.text.length > 60 ? `${problem.text.slice(0, 57)}…` : problem.text;
  return `${problem.field}: "${shown}" ${problem.reason}`;
}
