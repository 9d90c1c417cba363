import type { ReactNode } from "react";
import type { AllowedNumber, CheckedNumber, FactCheckResult } from "../../drafting/fact-check.js";
import type { Digest, Fact, Provenance } from "../../usage/digest.types.js";

const ROLE_NAMES: Record<string, string> = {
  value: "this period's value",
  previous: "the previous period's value",
  change: "the change on the previous period",
  multiple: "the change as a multiple",
  band: "the peer percentile band",
  money: "the time's worth in money",
  phrase: "part of a name",
  year: "the year",
  quarter: "the quarter",
  constant: "how many numbers are highlighted",
};

export function describeProvenance(provenance: Provenance): string {
  const source = [
    provenance.source,
    provenance.event ? `event "${provenance.event}"` : null,
    provenance.aggregation ? `aggregated by ${provenance.aggregation}` : null,
  ]
    .filter(Boolean)
    .join(", ");
  return `${provenance.formula} (${source}; ${provenance.period.label})`;
}

const factsOf = (digest: Digest): Fact[] => (digest.status === "ok" ? digest.facts : []);

/** "Hours saved: this period's value, from sum of … (events, …)": what the reviewer sees on a number. */
export function describeMatch(match: AllowedNumber, digest: Digest): string {
  const role = match.role ? (ROLE_NAMES[match.role] ?? match.role) : "allowed by the caller";
  const fact = match.factId ? factsOf(digest).find((item) => item.id === match.factId) : undefined;
  if (!fact) return `Matches ${role} (${match.source})`;
  return `Matches ${fact.label}: ${role} [${fact.id}]. From ${describeProvenance(fact.provenance)}`;
}

/**
 * A copy text with each checked number marked: green with the fact and its provenance as a
 * tooltip and as text for screen readers, red with the reason when it matches nothing. Colour is
 * never the only signal: mismatches carry a ✗ and their reason.
 */
export function HighlightedText(props: { text: string; numbers: CheckedNumber[]; digest: Digest }) {
  const parts: ReactNode[] = [];
  let at = 0;
  const sorted = [...props.numbers].sort((a, b) => a.start - b.start);
  for (const [index, number] of sorted.entries()) {
    if (number.start < at || props.text.slice(number.start, number.end) !== number.text) continue;
    parts.push(props.text.slice(at, number.start));
    const note = number.match
      ? describeMatch(number.match, props.digest)
      : `Matches no fact: ${number.reason ?? "unknown"}`;
    parts.push(
      <mark key={index} className={number.match ? "num" : "num bad"} title={note} data-fact={number.match?.factId}>
        {number.match ? null : "✗ "}
        {number.text}
        <span className="sr-only"> ({note})</span>
      </mark>,
    );
    at = number.end;
  }
  parts.push(props.text.slice(at));
  return <>{parts}</>;
}

/** The numbers of one field under its input; only while the shown text is the checked one. */
export function FieldNumbers(props: {
  id: string;
  field: string;
  shown: string;
  saved: string;
  factCheck: FactCheckResult | null;
  digest: Digest;
  lang: string;
}) {
  const numbers = props.factCheck?.numbers.filter((number) => number.field === props.field) ?? [];
  if (props.shown !== props.saved) {
    return (
      <p className="hint" id={props.id}>
        Not saved yet: the numbers are checked again when you save.
      </p>
    );
  }
  if (numbers.length === 0) return null;
  const bad = numbers.filter((number) => !number.match);
  return (
    <div className="numbers" id={props.id}>
      <span className="muted">
        {numbers.length} number{numbers.length === 1 ? "" : "s"}
        {bad.length ? `, ${bad.length} matching no fact` : ", each matching a fact"}:{" "}
      </span>
      <span lang={props.lang}>
        <HighlightedText text={props.saved} numbers={numbers} digest={props.digest} />
      </span>
      {bad.length ? (
        <ul className="field-error">
          {bad.map((number) => (
            <li key={`${number.start}`}>
              “{number.text}” {number.reason ?? "matches no fact"}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
