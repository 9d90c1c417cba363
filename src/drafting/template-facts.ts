import { type FormattedFact, heldSteady } from "../i18n/format.js";
import type { DisplayUnit, Fact } from "../usage/digest.types.js";
import type { OutcomeKind } from "../usage/usage.schema.js";
import type { CopyVariant } from "./drafter.types.js";
import type { Phrasebook, Vars } from "./template-phrases.js";

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

/** A sentence and the frame (list entry) it was written from. */
type Picked = { text: string; frame: string } | undefined;

/**
 * How the change against last quarter may be told: never as a success when it is not one. A frame
 * the recap already used (`avoid`) is passed over: three rising facts read three sentence shapes.
 */
function changeClause(
  book: Phrasebook,
  view: FactView,
  variant: CopyVariant,
  avoid: ReadonlySet<string>,
  max: number,
  steadyTold: boolean,
): Picked {
  const { fact, formatted } = view;
  const pick = (key: string, vars: Vars = {}) => book.pickFrame("copy", key, fact.id, vars, max, avoid);
  // A change that rounds to "0 %" is no change: the rational variant says once per recap that the
  // figure held steady, with no number ("Erinevus … on 0%" read as a change); the proud one says nothing.
  if (heldSteady(fact)) return variant === "A" && !steadyTold ? pick("clause.change.steady") : undefined;
  if (fact.improved === null || formatted.change === null || fact.changePercent === null) return undefined;
  const vars = { change: formatted.change };
  if (fact.improved && fact.changePercent > 0) return pick(`clause.change.rise.${variant}`, vars);
  if (fact.improved) return pick("clause.change.better_down", vars);
  // A fall is stated plainly in the rational variant and left out of the proud one.
  return variant === "A" ? pick("clause.change.neutral", vars) : undefined;
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
  /**
   * The frames (phrase list entries) the recap's highlights were written from: no frame is used
   * twice, so two facts never read "Das Wachstum zum Vorquartal beträgt …" one after the other.
   */
  frames: Set<string>;
  /** A figure that held steady (a change rounding to 0 %) is told once per recap at most. */
  steadyTold?: boolean;
};

/**
 * One highlight: a sentence about the fact, then as many short sentences as fit in 140 characters.
 * A (rational) adds what the time is worth, the peer rank and the change; B (pride) leads with the
 * peer rank and mentions only a change worth being proud of. Every part is a whole sentence (no
 * "Label: value"), none repeats a sentence another highlight of the recap already has, and none is
 * written from a frame another part of the recap's highlights was (a clause without a free frame
 * is left out; the fact's own sentence takes a used frame only when no free one fits).
 */
export function highlightText(
  book: Phrasebook,
  view: FactView,
  variant: CopyVariant,
  context: HighlightContext = { rankTold: false, used: new Set(), frames: new Set() },
): string {
  const { fact, formatted } = view;
  const key = `highlight.${variant}.${view.topic}`;
  const avoid = context.frames;
  const fits = (text: string) => text.length <= HIGHLIGHT_MAX && !context.used.has(text);
  const band: Picked =
    formatted.band && !context.rankTold
      ? book.pickFrame("copy", `clause.band.${variant}`, fact.id, { band: formatted.band }, undefined, avoid)
      : undefined;
  const money: Picked =
    variant === "A" && formatted.money
      ? book.pickFrame("copy", "clause.money.A", fact.id, { money: formatted.money }, undefined, avoid)
      : undefined;
  // While the rank is still to be told, a wording short enough to carry it (and the money) comes first.
  const room = HIGHLIGHT_MAX - [band, money].reduce((sum, clause) => sum + (clause ? clause.text.length + 1 : 0), 0);
  const sentence = (frames?: ReadonlySet<string>): Picked =>
    (band ? book.pickFrame("copy", key, fact.id, { amount: view.amount }, room, frames) : undefined) ??
    book.pickFrame("copy", key, fact.id, { amount: view.amount }, HIGHLIGHT_MAX, frames) ??
    book.pickFrame("copy", key, fact.id, { amount: view.amountShort }, HIGHLIGHT_MAX, frames);
  const main = sentence(avoid) ?? sentence();
  let text = main?.text ?? formatted.value;
  if (main) context.frames.add(main.frame);
  // The change is picked last, for the room the other clauses leave: a wording that fits, not none.
  const change = () =>
    changeClause(book, view, variant, avoid, HIGHLIGHT_MAX - text.length - 1, context.steadyTold === true);
  // The rank comes before the change: told once per recap, it must not be the clause that never fits.
  const clauses = variant === "A" ? [() => money, () => band, change] : [() => band, change];
  context.used.add(text);
  for (const next of clauses) {
    const clause = next();
    if (clause && fits(clause.text) && text.length + 1 + clause.text.length <= HIGHLIGHT_MAX) {
      text = `${text} ${clause.text}`;
      context.used.add(clause.text);
      context.frames.add(clause.frame);
      if (clause === band) context.rankTold = true;
      if (heldSteady(fact) && clause.frame.includes(".change.steady.")) context.steadyTold = true;
    }
  }
  return text;
}
