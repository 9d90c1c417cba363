import { formatPeriodLabel, parseTrailingLabel, recapPeriod } from "../../i18n/format.js";
import type { SessionPrincipal } from "../../platform/http/app-env.js";
import type { RecapWithAccount } from "../../recaps/recaps.js";
import { ActionForms, type CreatedPreviewLink, CreatedPreviewLinkPanel } from "./action-forms.js";
import {
  ErrorAlert,
  FlaggedBadge,
  formatWhen,
  humanize,
  localeName,
  ReviewShell,
  StateBadge,
  StatusMessage,
  VARIANT_NAMES,
} from "./components.js";
import { CopyForm } from "./copy-form.js";
import { DraftingPanel, FactCheckSummary, FactsTable, type HistoryEntry, HistoryTable } from "./recap-panels.js";

export const CONFLICT_MESSAGE = "Someone else changed this recap since you opened it — reload to see their changes.";

export type RecapPageProps = {
  session: SessionPrincipal;
  tenantName: string;
  recap: RecapWithAccount;
  history: HistoryEntry[];
  /** The value moments this recap answers: the rules that fired and what they saw. */
  moments?: { ruleName: string; detail: string; firedAt: Date }[] | undefined;
  /** The version every form carries: the recap's, or still the stale one after a conflict. */
  formVersion: number;
  status?: string | undefined;
  problem?: { title: string; detail?: string | undefined; items?: string[] | undefined } | undefined;
  conflict?: { staleVersion: number } | undefined;
  fieldErrors?: Record<string, string[]> | undefined;
  submitted?: Record<string, string> | undefined;
  /** Saved, but the fact-check still fails: said as a warning, not as a success. */
  warning?: string | undefined;
  previewLink?: CreatedPreviewLink | undefined;
};

function ConflictAlert(props: { recapId: string; staleVersion: number; history: HistoryEntry[] }) {
  const since = props.history.filter((event) => event.version > props.staleVersion);
  return (
    <ErrorAlert title={CONFLICT_MESSAGE}>
      <p>
        Nothing was saved, so nobody’s work was overwritten. What you typed is still in the form below: copy it before
        you reload if you need it.
      </p>
      {since.length ? (
        <ul>
          {since.map((event) => (
            <li key={event.version}>
              {event.actor.name} ({event.actor.type}): {humanize(event.action)} at {formatWhen(event.at)}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={`/review/recaps/${props.recapId}`}>Reload the recap</a>
      </p>
    </ErrorAlert>
  );
}

function Preview(props: { recap: RecapWithAccount }) {
  const { recap } = props;
  if (!recap.copy) return <p className="muted">No preview yet: the recap is still being drafted.</p>;
  const base = `/review/recaps/${recap.id}/preview`;
  return (
    <figure className="preview sticky" style={{ margin: 0 }}>
      <img src={`${base}/linkedin?v=${recap.version}`} alt={recap.copy.imageAlt} width={1200} height={627} />
      <figcaption className="hint">
        The LinkedIn card as the copy stands now (saved changes only). Also:{" "}
        <a href={`${base}/square?v=${recap.version}`}>square</a>, <a href={`${base}/story?v=${recap.version}`}>story</a>
        , <a href={`${base}/pdf?v=${recap.version}`}>PDF</a>,{" "}
        <a href={`${base}/linkedin?theme=bold&v=${recap.version}`}>bold theme</a>.
      </figcaption>
    </figure>
  );
}

/**
 * Why a milestone recap exists: each rule that fired for it and what it saw. A recap whose rule
 * was deleted since still says what its trigger saw (the origin keeps it).
 */
function WhyItExists(props: { recap: RecapWithAccount; moments: NonNullable<RecapPageProps["moments"]> }) {
  const { origin } = props.recap;
  if (origin.type !== "trigger") return null;
  const moments =
    props.moments.length > 0
      ? props.moments
      : [{ ruleName: origin.ruleName ?? "A value-moment rule since deleted", detail: origin.detail, firedAt: null }];
  return (
    <>
      <dt>Why it exists</dt>
      <dd>
        <ul className="moments">
          {moments.map((moment) => (
            <li key={`${moment.ruleName}|${moment.detail}`}>
              Value moment “{moment.ruleName}” fired: {moment.detail}
              {moment.firedAt ? ` (${formatWhen(moment.firedAt)})` : ""}
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

/** The label, or for a running year the day its numbers stop ("2026, to 6 Dec 2026"). */
function periodSpan(recap: RecapPageProps["recap"]): string {
  const counted = recap.digest.period;
  if (!counted.yearToDate) return recap.period;
  const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: counted.timeZone });
  return `${recap.period}, to ${day.format(new Date(counted.end))}`;
}

export function RecapPage(props: RecapPageProps) {
  const { recap, session } = props;
  const editable = recap.copy !== null && (recap.state === "pending_review" || recap.state === "approved");
  // A trailing window reads as the reviewer's words ("the last 90 days"), a running year as "2026
  // so far" (what the customer sees); quarters and finished years as they are.
  const shown = recapPeriod(recap);
  const worded = parseTrailingLabel(recap.period) !== undefined || shown.yearToDate === true;
  const period = worded ? formatPeriodLabel(shown, "en") : recap.period;
  const title = `${recap.accountName} · ${period}`;
  return (
    <ReviewShell session={session} tenantName={props.tenantName} title={title}>
      <p>
        <a href="/review">← Back to the queue</a>
      </p>
      <h1>
        Recap for {title} <StateBadge state={recap.state} /> {recap.flagged ? <FlaggedBadge /> : null}
      </h1>
      {/* Right under the heading and sticky: on a phone the editor is thousands of pixels long. */}
      <section className="decision-bar" aria-labelledby="decision-heading">
        <h2 id="decision-heading">Decision</h2>
        <ActionForms
          recapId={recap.id}
          state={recap.state}
          role={session.role}
          hasCopy={recap.copy !== null}
          factCheck={recap.factCheck}
          csrfToken={session.csrfToken}
          formVersion={props.formVersion}
          fieldErrors={props.fieldErrors}
          submitted={props.submitted}
          previewLink={props.previewLink}
        />
      </section>
      <CreatedPreviewLinkPanel link={props.previewLink} />
      {props.conflict ? (
        <ConflictAlert recapId={recap.id} staleVersion={props.conflict.staleVersion} history={props.history} />
      ) : null}
      {props.problem ? (
        <ErrorAlert title={props.problem.title}>
          {props.problem.detail ? <p>{props.problem.detail}</p> : null}
          {props.problem.items?.length ? (
            <ul>
              {props.problem.items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          ) : null}
        </ErrorAlert>
      ) : null}
      <StatusMessage message={props.status} warning={props.warning} />
      {recap.renderFailure ? (
        <ErrorAlert title="The cards and PDF could not be rendered.">
          <p>
            {recap.renderFailure.reason} (version {recap.renderFailure.version},{" "}
            {formatWhen(recap.renderFailure.failedAt)}
            ). The recap cannot be published until they are.
          </p>
        </ErrorAlert>
      ) : null}
      <dl className="meta">
        <dt>Account</dt>
        <dd>
          {recap.accountName} ({recap.accountExternalId})
        </dd>
        <dt>Period</dt>
        <dd>
          {worded ? `${period} (${periodSpan(recap)})` : recap.period} · {recap.kind}
        </dd>
        <WhyItExists recap={recap} moments={props.moments ?? []} />
        <dt>Locale</dt>
        <dd>{localeName(recap.locale)}</dd>
        <dt>Variant</dt>
        <dd>{VARIANT_NAMES[recap.variant] ?? recap.variant}</dd>
        <dt>Version</dt>
        <dd>
          {recap.version}, last changed {formatWhen(recap.updatedAt)}
        </dd>
      </dl>
      <div className="grid2">
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">Card preview</h2>
          <Preview recap={recap} />
        </section>
        <section aria-labelledby="copy-heading">
          <h2 id="copy-heading">Copy</h2>
          {recap.copy ? (
            <CopyForm
              recapId={recap.id}
              copy={recap.copy}
              factCheck={recap.factCheck}
              digest={recap.digest}
              locale={recap.locale}
              csrfToken={session.csrfToken}
              formVersion={props.formVersion}
              editable={editable}
              submitted={props.submitted}
              fieldErrors={props.fieldErrors}
            />
          ) : (
            <p className="muted">The drafter has not written the copy yet.</p>
          )}
        </section>
      </div>
      <section aria-labelledby="check-heading">
        <h2 id="check-heading">Fact-check</h2>
        <FactCheckSummary factCheck={recap.factCheck} />
      </section>
      <section aria-labelledby="drafting-heading">
        <h2 id="drafting-heading">Flags and drafting</h2>
        <DraftingPanel drafting={recap.drafting} stateReason={recap.stateReason} />
      </section>
      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading">Facts and where they come from</h2>
        <FactsTable digest={recap.digest} locale={recap.locale} hiddenFactIds={recap.hiddenFactIds} />
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <HistoryTable history={props.history} newerThan={props.conflict?.staleVersion} />
      </section>
    </ReviewShell>
  );
}
