import type { FormattedFact } from "../i18n/format.js";
import type { DisplayUnit, Fact } from "../usage/digest.types.js";
import type { OutcomeKind } from "../usage/usage.schema.js";
import type { CopyVariant } from "./drafter.types.js";
import type { Phrasebook } from "./template-phrases.js";

/**
 * What a fact is about, for choosing its sentences. An outcome kind; "roi" for the return on the
 * subscription; "measure" for a metric where lower is better (a turnaround time): its value is a
 * level, not a gain, so it gets neutral wording instead of "saved" or "caught".
 */
export type Topic = OutcomeKind | "roi" | "measure";

type UnitClass = "time" | "money" | "count" | "percent" | "ratio";

function unitClass(unit: DisplayUnit): UnitClass {
  if (unit === "hours" || unit === "minutes" || unit === "days") return "time";
  return unit;
}

/**
 * The default value model's metrics (src/usage/value-model.ts) have their own wording in the
 * locale files (`common:metric.<key>.amount`), used when the fact still means what the default
 * means (same outcome kind and unit). Any other metric is described by its outcome kind; the
 * value model's `label` is English reviewer text and never reaches the copy.
 */
const METRIC_PHRASES: Record<string, { kind: OutcomeKind; unit: UnitClass }> = {
  hours_saved: { kind: "time_saved", unit: "time" },
  errors_prevented: { kind: "risk_reduced", unit: "count" },
  discounts_captured: { kind: "money", unit: "money" },
  active_users: { kind: "adoption", unit: "count" },
};

/** The units a kind's generic phrase (`common:generic.<kind>`) reads right with. */
const KIND_UNITS: Record<OutcomeKind, UnitClass[]> = {
  time_saved: ["time"],
  money: ["money"],
  risk_reduced: ["count"],
  speed_gained: ["time", "percent"],
  adoption: ["count"],
};

/** Whether more is better, as far as the fact tells: only a non-zero change with a verdict does. */
function lowerIsBetter(fact: Fact): boolean {
  if (fact.improved === null || fact.changePercent === null || fact.changePercent === 0) return false;
  return fact.improved !== fact.changePercent > 0;
}

export function topicOf(fact: Fact): Topic {
  if (fact.kind === "roi") return "roi";
  if (!fact.outcomeKind || lowerIsBetter(fact)) return "measure";
  return fact.outcomeKind;
}

/** The value as a noun phrase: "1 284 tuntia manuaalista työtä", "312 Fehler", "42 aktiva kollegor". */
export function amountPhrase(book: Phrasebook, fact: Fact, value: string): string {
  const topic = topicOf(fact);
  if (topic === "roi") return book.one("common", "roi.amount", { value });
  const units = unitClass(fact.unit);
  const vars = { value, count: fact.value };
  if (topic !== "measure") {
    const known = fact.metricKey ? METRIC_PHRASES[fact.metricKey] : undefined;
    if (known && known.kind === topic && known.unit === units)
      return book.one("common", `metric.${fact.metricKey}.amount`, vars);
    if (KIND_UNITS[topic].includes(units)) return book.one("common", `generic.${topic}`, vars);
  }
  // A formatted time, sum of money or percentage carries its own unit; a bare count does not.
  return units === "count" ? book.one("common", "generic.count", vars) : value;
}

export type FactView = {
  fact: Fact;
  formatted: FormattedFact;
  topic: Topic;
  /** With the unit spelled out, for sentences. */
  amount: string;
  /** With the short unit ("1 284 h"), for the headline. */
  amountShort: string;
};

export function factView(book: Phrasebook, fact: Fact, formatted: FormattedFact): FactView {
  return {
    fact,
    formatted,
    topic: topicOf(fact),
    amount: amountPhrase(book, fact, formatted.valueLong),
    amountShort: amountPhrase(book, fact, formatted.value),
  };
}

export const HIGHLIGHT_MAX = 140;

/** How the change against last quarter may be told: never as a success when it is not one. */
function changeClause(book: Phrasebook, view: FactView, variant: CopyVariant): string | undefined {
  const { fact, formatted } = view;
  if (fact.improved === null || formatted.change === null || fact.changePercent === null) return undefined;
  const vars = { change: formatted.change };
  if (fact.improved && fact.changePercent > 0) return book.pick("copy", `clause.change.rise.${variant}`, fact.id, vars);
  if (fact.improved) return book.pick("copy", "clause.change.better_down", fact.id, vars);
  // A fall (or no change) is stated plainly in the rational variant and left out of the proud one.
  return variant === "A" ? book.pick("copy", "clause.change.neutral", fact.id, vars) : undefined;
}

/** How one highlight fits into its recap: whether it carries the peer rank, and the sentences already used. */
export type HighlightContext = {
  /**
   * The peer rank is told once per recap: by the first (strongest) highlight whose rank sentence
   * fits; it sets this to true, and the highlights after it leave their rank out.
   */
  rankTold: boolean;
  /** Sentences already in the recap's highlights: a clause that would repeat one is left out. */
  used: Set<string>;
};

/**
 * One highlight: a sentence about the fact, then as many short sentences as fit in 140 characters.
 * A (rational) adds what the time is worth, the peer rank and the change; B (pride) leads with the
 * peer rank and mentions only a change worth being proud of. Every part is a whole sentence (no
 * "Label: value"), and none repeats a sentence another highlight of the recap already has.
 */
export function highlightText(
  book: Phrasebook,
  view: FactView,
  variant: CopyVariant,
  context: HighlightContext = { rankTold: false, used: new Set() },
): string {
  const { fact, formatted } = view;
  const key = `highlight.${variant}.${view.topic}`;
  const fits = (text: string) => text.length <= HIGHLIGHT_MAX && !context.used.has(text);
  const band =
    formatted.band && !context.rankTold
      ? book.pick("copy", `clause.band.${variant}`, fact.id, { band: formatted.band })
      : undefined;
  const money =
    variant === "A" && formatted.money
      ? book.pick("copy", "clause.money.A", fact.id, { money: formatted.money })
      : undefined;
  // While the rank is still to be told, a wording short enough to carry it (and the money) comes first.
  const room = HIGHLIGHT_MAX - [band, money].reduce((sum, clause) => sum + (clause ? clause.length + 1 : 0), 0);
  let text =
    (band ? book.pick("copy", key, fact.id, { amount: view.amount }, room) : undefined) ??
    book.pick("copy", key, fact.id, { amount: view.amount }, HIGHLIGHT_MAX) ??
    book.pick("copy", key, fact.id, { amount: view.amountShort }, HIGHLIGHT_MAX) ??
    formatted.value;
  const change = changeClause(book, view, variant);
  // The rank comes before the change: told once per recap, it must not be the clause that never fits.
  const clauses = variant === "A" ? [money, band, change] : [band, change];
  context.used.add(text);
  for (const clause of clauses) {
    if (clause && fits(clause) && text.length + 1 + clause.length <= HIGHLIGHT_MAX) {
      text = `${text} ${clause}`;
      context.used.add(clause);
      if (clause === band) context.rankTold = true;
    }
  }
  return text;
}
