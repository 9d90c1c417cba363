import type { DraftingRecord } from "../../drafting/draft-copy.js";
import { describeProblem, type FactCheckResult } from "../../drafting/fact-check.js";
import { formatFact, formatNumber, formatValue } from "../../i18n/format.js";
import type { SupportedLocale } from "../../i18n/locales.js";
import type { recapHistory } from "../../recaps/recap-history.js";
import type { Digest, Provenance } from "../../usage/digest.types.js";
import { formatWhen, humanize } from "./components.js";
import { actionSentence, changeSentences } from "./history-sentences.js";
import { describeProvenance } from "./numbers.js";

export type HistoryEntry = Awaited<ReturnType<typeof recapHistory>>[number];

export function FactCheckSummary(props: { factCheck: FactCheckResult | null }) {
  const check = props.factCheck;
  if (!check) return <p className="muted">No copy has been checked yet.</p>;
  if (check.ok) {
    return (
      <p className="status">
        All {check.numbers.length} numbers in the copy match a fact. Hover or read a number’s note to see which.
      </p>
    );
  }
  const problems = check.problems ?? [];
  return (
    <div className="error">
      <p>
        <strong>
          {check.mismatches.length > 0
            ? `${check.mismatches.length} of ${check.numbers.length} numbers match no fact.`
            : null}
          {check.mismatches.length > 0 && problems.length > 0 ? " " : null}
          {problems.length > 0
            ? `${problems.length} ${problems.length === 1 ? "problem" : "problems"} with links or language.`
            : null}
        </strong>{" "}
        Fix them in the copy, or approve with an override and a reason.
      </p>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.field}-${problem.rule}-${problem.start}`}>{describeProblem(problem)}</li>
        ))}
        {check.mismatches.map((number) => (
          <li key={`${number.field}-${number.start}`}>
            {number.field}: “{number.text}” {number.reason ?? "matches no fact"}
          </li>
        ))}
      </ul>
      {check.allowedAsWritten?.length ? (
        <details>
          <summary>Numbers the copy may use</summary>
          <p>{check.allowedAsWritten.join("; ")}</p>
        </details>
      ) : null}
    </div>
  );
}

export function DraftingPanel(props: { drafting: DraftingRecord | null; stateReason: string | null }) {
  const d = props.drafting;
  return (
    <>
      {props.stateReason ? (
        <p>
          <strong>Why it is in this state:</strong> {props.stateReason}
        </p>
      ) : null}
      {d ? (
        <dl className="meta">
          <dt>Drafter</dt>
          <dd>
            {d.drafter}
            {d.model ? ` (${d.model})` : ""}, prompt {d.promptVersion}
            {d.fallbackFrom ? `; replaced ${d.fallbackFrom}’s copy` : ""}
          </dd>
          <dt>Attempts</dt>
          <dd>{d.attempts}</dd>
          <dt>Flags</dt>
          <dd>{d.flags.length ? d.flags.map(humanize).join(", ") : "none"}</dd>
        </dl>
      ) : (
        <p className="muted">Not drafted yet.</p>
      )}
      {d?.problems.length ? (
        <>
          <h3>Drafting problems</h3>
          <ul>
            {d.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** The raw sums behind a fact, at display precision: float sums print as 5053.929999999999. */
function rawNote(provenance: Provenance, locale: SupportedLocale): string {
  if (provenance.rawCurrent === undefined) return "";
  const before = provenance.rawPrevious == null ? "" : ` (before: ${formatNumber(provenance.rawPrevious, locale)})`;
  return `; raw ${formatNumber(provenance.rawCurrent, locale)}${before}`;
}

export function FactsTable(props: { digest: Digest; locale: SupportedLocale; hiddenFactIds: string[] }) {
  const digest = props.digest;
  if (digest.status !== "ok") {
    return <p className="muted">Not enough usage for facts: {digest.reasons.join("; ")}</p>;
  }
  const locale = props.locale;
  return (
    <table className="stack compact">
      <caption>
        {digest.period.label}, compared with {digest.previousPeriod.label}; amounts in {digest.currency}
      </caption>
      <thead>
        <tr>
          <th scope="col">Fact</th>
          <th scope="col">Value</th>
          <th scope="col">Previous</th>
          <th scope="col">Change</th>
          <th scope="col">Peers</th>
          <th scope="col">Worth</th>
          <th scope="col">Provenance</th>
        </tr>
      </thead>
      <tbody>
        {digest.facts.map((fact) => {
          const shown = formatFact(fact, locale, digest.currency);
          const previous =
            fact.previousValue === null ? "—" : formatValue(fact.previousValue, fact.unit, locale, digest.currency);
          return (
            <tr key={fact.id} id={`fact-${fact.id.replace(/\W/g, "-")}`}>
              <th scope="row">
                {fact.label}
                <div className="hint">
                  {fact.id}
                  {digest.headline.includes(fact.id) ? " · headline" : ""}
                  {props.hiddenFactIds.includes(fact.id) ? " · hidden by the customer" : ""}
                </div>
              </th>
              <td data-label="Value">{shown.value}</td>
              <td data-label="Previous">{previous}</td>
              <td data-label="Change">{shown.change ?? "—"}</td>
              <td data-label="Peers">{shown.band ? `top ${shown.band}` : "—"}</td>
              <td data-label="Worth">{shown.money ?? "—"}</td>
              <td className="hint cell-block" data-label="Provenance">
                {describeProvenance(fact.provenance)}
                {rawNote(fact.provenance, locale)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function HistoryTable(props: { history: HistoryEntry[]; newerThan?: number | undefined }) {
  return (
    <table className="stack compact">
      <caption>Oldest first; every change with who made it and why</caption>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">When</th>
          <th scope="col">What happened</th>
        </tr>
      </thead>
      <tbody>
        {props.history.map((event) => {
          const changed = event.changes.flatMap(changeSentences);
          return (
            <tr key={event.version} data-actor-type={event.actor.type}>
              <td data-label="Version">
                {event.version}
                {props.newerThan !== undefined && event.version > props.newerThan ? (
                  <strong> (new since you opened it)</strong>
                ) : null}
              </td>
              <td data-label="When">
                <time dateTime={event.at}>{formatWhen(event.at)}</time>
              </td>
              <td className="cell-block">
                <strong>{actionSentence(event.action, event.actor)}</strong>
                <div className="hint">
                  {humanize(event.action)}
                  {event.from === event.to ? "" : ` · ${humanize(event.from)} → ${humanize(event.to)}`}
                </div>
                {event.reason ? <p>Why: {event.reason}</p> : null}
                {changed.length ? (
                  <ul className="hint">
                    {changed.map((sentence) => (
                      <li key={sentence}>{sentence}</li>
                    ))}
                  </ul>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
