import { SUPPORTED_LOCALES, type SupportedLocale } from "../i18n/locales.js";
import type { Fact } from "../usage/digest.types.js";
import { copyTexts, type RecapCopy } from "./copy.schema.js";
import type { OkDigest } from "./drafter.types.js";
import { type AllowedNumber, type CheckedNumber, type FactCheckResult, factCheck } from "./fact-check.js";
import { type ScannedNumber, scanNumbers } from "./number-extraction.js";

/**
 * Numbers the end customer chose to hide (revenue, say) must not reach anything public: not the
 * card's tiles, and not a word of the copy. The drafters never see a hidden fact (visibleDigest),
 * and hiddenFactLeaks catches copy that still shows one's numbers anyway: a model that remembered
 * it, a reviewer who typed it in. Pure; docs/fact-check.md explains the rules.
 */

/** The digest as the drafters and the renderer may see it: hidden facts, their rank and chart gone. */
export function visibleDigest(digest: OkDigest, hiddenFactIds: readonly string[]): OkDigest {
  if (hiddenFactIds.length === 0) return digest;
  const hidden = new Set(hiddenFactIds);
  const chartFact = digest.chart ? `metric:${digest.chart.metricKey}` : null;
  const facts = digest.facts.filter((fact) => !hidden.has(fact.id));
  // The next best fact takes a hidden one's place, so the copy still tells min(3, facts) numbers.
  const headline = digest.headline.filter((id) => !hidden.has(id));
  for (const fact of facts) {
    if (headline.length >= Math.min(3, facts.length)) break;
    if (!headline.includes(fact.id)) headline.push(fact.id);
  }
  return {
    ...digest,
    facts,
    headline,
    // The weekly bars of a hidden metric add up to its value.
    chart: chartFact && hidden.has(chartFact) ? null : digest.chart,
  };
}

/** The digest's facts the customer hid. */
export function hiddenFactsOf(digest: OkDigest, hiddenFactIds: readonly string[]): Fact[] {
  const hidden = new Set(hiddenFactIds);
  return digest.facts.filter((fact) => hidden.has(fact.id));
}

/** The full digest (the hidden facts' numbers are looked up in it) and what the customer hid. */
export type HiddenFacts = { digest: OkDigest; hiddenFactIds: readonly string[] };

const visibleAllowed = (allowed: AllowedNumber[], hidden: HiddenFacts) =>
  allowed.filter((number) => !number.factId || !hidden.hiddenFactIds.includes(number.factId));

type Secret = { value: number; factId: string; what: string; kinds: "any" | "percent" | "ratio" };

/**
 * What a hidden fact gives away: its value, last period's value and its worth in money in any
 * written form; its change only as a percent or a multiple (a bare "12" is too common to mean it).
 */
function secretsOf(fact: Fact): Secret[] {
  const secrets: Secret[] = [{ value: fact.value, factId: fact.id, what: "value", kinds: "any" }];
  if (fact.previousValue !== null)
    secrets.push({ value: fact.previousValue, factId: fact.id, what: "previous value", kinds: "any" });
  if (fact.moneyValue !== null)
    secrets.push({ value: fact.moneyValue, factId: fact.id, what: "worth in money", kinds: "any" });
  if (fact.changePercent !== null && fact.changePercent !== 0) {
    secrets.push({ value: Math.abs(fact.changePercent), factId: fact.id, what: "change", kinds: "percent" });
    if (fact.changePercent > 0)
      secrets.push({ value: 1 + fact.changePercent / 100, factId: fact.id, what: "change", kinds: "ratio" });
  }
  return secrets.filter((secret) => secret.value !== 0);
}

/**
 * The worth of the last significant digit a reader sees: "1.3k" and "1,300" both say "about 1 300",
 * so both round to hundreds. Trailing zeros only count as rounding when the number is near the
 * secret (within 5 %): "100" is not a rounded 95.
 */
function shownStep(found: ScannedNumber): number {
  let step = found.step;
  const magnitude = Math.abs(found.value);
  while (step < magnitude && Math.round(magnitude / (step * 10)) * step * 10 === magnitude) step *= 10;
  return step;
}

function reveals(found: ScannedNumber, secret: Secret): boolean {
  if (found.problem && Number.isNaN(found.value)) return false;
  if (found.kind === "quarter") return false;
  if (secret.kinds === "percent" && found.kind !== "percent") return false;
  if (secret.kinds === "ratio" && found.kind !== "ratio") return false;
  const value = Math.abs(found.value);
  const exact = Math.floor(secret.value / found.step + 0.5 + 1e-9) === Math.floor(value / found.step + 0.5 + 1e-9);
  if (exact) return true;
  const step = shownStep(found);
  const rounded = Math.floor(secret.value / step + 0.5 + 1e-9) * step === value;
  return rounded && Math.abs(value - secret.value) <= 0.05 * Math.abs(secret.value);
}

/** How a mismatch that shows a hidden number begins its reason (the customer's page says so in their words). */
export const HIDDEN_NUMBER_REASON = "shows a number the customer chose to hide";

export type HiddenLeak = { field: string; text: string; start: number; end: number; factId: string; reason: string };

/**
 * Every place the copy shows a hidden fact's number, read the way each supported language writes
 * numbers ("1,284 h", "1 284 h", "1.284 Std.", "1.3k", "12 %"). A number the copy's own language
 * reads as a visible fact's (the same value told about another metric) is not a leak.
 */
export function hiddenFactLeaks(
  copy: RecapCopy,
  input: { digest: OkDigest; hiddenFactIds: readonly string[]; locale: SupportedLocale; visible: FactCheckResult },
): HiddenLeak[] {
  const secrets = hiddenFactsOf(input.digest, input.hiddenFactIds).flatMap(secretsOf);
  if (secrets.length === 0) return [];
  // Read in the copy's own language, these numbers are a visible fact's, the period's or a name's digits.
  const excused = input.visible.numbers.filter((number) => number.match !== null);
  const leaks: HiddenLeak[] = [];
  for (const { field, text } of copyTexts(copy)) {
    const readings = [input.locale, ...SUPPORTED_LOCALES.filter((locale) => locale !== input.locale)];
    for (const locale of readings) {
      for (const found of scanNumbers(text, locale)) {
        const secret = secrets.find((candidate) => reveals(found, candidate));
        if (!secret) continue;
        const explained = excused.some(
          (number) => number.field === field && number.start < found.end && found.start < number.end,
        );
        const known = leaks.some((leak) => leak.field === field && leak.start < found.end && found.start < leak.end);
        if (explained || known) continue;
        leaks.push({
          field,
          text: found.text,
          start: found.start,
          end: found.end,
          factId: secret.factId,
          // Names no fact: the reason goes back to a model, which must not learn what was hidden.
          reason: `${HIDDEN_NUMBER_REASON} (a ${secret.what}): leave it out in every form`,
        });
      }
    }
  }
  return leaks;
}

/**
 * The fact-check with the hidden facts' rule added: a number that shows a hidden fact fails, even
 * where it matches a fact (the reviewer's check still knows every fact of the digest).
 */
export function factCheckHiding(
  copy: RecapCopy,
  allowed: AllowedNumber[],
  locale: SupportedLocale,
  hidden: HiddenFacts,
  options: { names?: readonly string[] } = {},
): FactCheckResult {
  const result = factCheck(copy, allowed, locale, options);
  const leaks = hiddenFactLeaksIn(copy, allowed, locale, hidden);
  if (leaks.length === 0) return result;
  const overlaps = (a: { field: string; start: number; end: number }, b: typeof a) =>
    a.field === b.field && a.start < b.end && b.start < a.end;
  const numbers: CheckedNumber[] = result.numbers.map((number) => {
    const leak = leaks.find((candidate) => overlaps(candidate, number));
    return leak ? { ...number, match: null, reason: leak.reason } : number;
  });
  for (const leak of leaks) {
    if (numbers.some((number) => overlaps(leak, number))) continue;
    const { text, start, end, field, reason } = leak;
    numbers.push({ text, value: Number.NaN, start, end, field, match: null, reason });
  }
  // Feedback for a drafter lists only the numbers it may use, never the hidden ones.
  const visible = factCheck(copy, visibleAllowed(allowed, hidden), locale, options);
  return {
    ok: false,
    numbers,
    mismatches: numbers.filter((number) => !number.match),
    ...(result.problems ? { problems: result.problems } : {}),
    ...(visible.allowedAsWritten ? { allowedAsWritten: visible.allowedAsWritten } : {}),
  };
}

/** Where the copy shows a hidden fact's number: the last gate before anything goes public. */
export function hiddenFactLeaksIn(
  copy: RecapCopy,
  allowed: AllowedNumber[],
  locale: SupportedLocale,
  hidden: HiddenFacts,
): HiddenLeak[] {
  if (hidden.hiddenFactIds.length === 0) return [];
  const visible = factCheck(copy, visibleAllowed(allowed, hidden), locale);
  return hiddenFactLeaks(copy, { ...hidden, locale, visible });
}
