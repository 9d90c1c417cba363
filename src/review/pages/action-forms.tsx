import type { ReactNode } from "react";
import type { FactCheckResult } from "../../drafting/fact-check.js";
import type { RecapState } from "../../recaps/recaps.schema.js";
import type { ActorType } from "../../recaps/state-machine.js";
import { availableActions } from "../../recaps/state-machine.js";
import { FieldErrors, formatWhen, humanize } from "./components.js";

/** A link the reviewer just created: shown once (only its hash is stored), never put in a URL. */
export type CreatedPreviewLink = { url: string; expiresAt: Date };

export type ActionFormsProps = {
  recapId: string;
  state: RecapState;
  role: ActorType;
  hasCopy: boolean;
  factCheck: FactCheckResult | null;
  csrfToken: string;
  formVersion: number;
  fieldErrors?: Record<string, string[]> | undefined;
  submitted?: Record<string, string> | undefined;
  previewLink?: CreatedPreviewLink | undefined;
};

/** A form for one decision: the session's CSRF token and the version the reviewer is looking at. */
function DecisionForm(props: ActionFormsProps & { action: string; label: string; children?: ReactNode }) {
  return (
    <form method="post" action={`/review/recaps/${props.recapId}/${props.action}`}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="version" value={props.formVersion} />
      {props.children}
      <button type="submit" className={props.action === "reject" ? "danger" : undefined}>
        {props.label}
      </button>
    </form>
  );
}

function ReasonField(props: ActionFormsProps & { name: string; label: string; hint: string }) {
  const id = `action-${props.name}`;
  const errors = props.fieldErrors?.[props.name];
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <p className="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      <textarea
        id={id}
        name={props.name}
        rows={2}
        required
        maxLength={2000}
        defaultValue={props.submitted?.[props.name] ?? ""}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={`${id}-hint${errors?.length ? ` ${id}-error` : ""}`}
      />
      <FieldErrors id={`${id}-error`} messages={errors} />
    </>
  );
}

/**
 * A decision that needs a reason: a button-like disclosure in the bar, so the bar stays one row
 * high until the reviewer picks it. It opens by itself when the last submission of it failed.
 */
function ReasonDecision(props: ActionFormsProps & { field: string; summary: string; children: ReactNode }) {
  const open = props.fieldErrors?.[props.field] !== undefined || props.submitted?.[props.field] !== undefined;
  return (
    <details className="decision" open={open}>
      <summary>{props.summary}</summary>
      <div className="decision-panel">{props.children}</div>
    </details>
  );
}

/** After approval: the button that creates the customer's private link. */
function PreviewLinkDecision(props: ActionFormsProps) {
  return (
    <form method="post" action={`/review/recaps/${props.recapId}/preview-link`}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <button type="submit" className={props.previewLink ? "secondary" : undefined}>
        {props.previewLink ? "Create another preview link" : "Create preview link for the customer"}
      </button>
    </form>
  );
}

/**
 * The link just created, below the bar rather than in it (the bar stays small while it follows the
 * reviewer down the page). Shown once: only its hash is stored.
 */
export function CreatedPreviewLinkPanel(props: { link: CreatedPreviewLink | undefined }) {
  const link = props.link;
  if (!link) return null;
  return (
    <div className="card link-out">
      <label htmlFor="preview-link-url">Preview link for the customer (shown only now: copy it)</label>
      <div className="copy-row">
        <input id="preview-link-url" type="text" readOnly value={link.url} data-copy-source="" />
        <button type="button" className="secondary" data-copy-target="preview-link-url" hidden>
          Copy link
        </button>
      </div>
      <p className="hint">
        Valid until {formatWhen(link.expiresAt)}. Whoever holds it can publish the recap: send it only to the customer.
        There the customer previews the cards, may hide numbers, and publishes.
      </p>
    </div>
  );
}

/**
 * The decisions the state machine offers this reviewer now, and only those, in a bar that stays
 * in view (CSS `.decision-bar`): the recap screen is long, and the decision is what it is for.
 */
export function ActionForms(props: ActionFormsProps) {
  const actions = availableActions(props.state, props.role);
  const can = (action: string) => actions.includes(action as never);
  const clean = props.factCheck?.ok !== false;
  const decides = props.hasCopy && (can("approve") || can("reject") || can("request_redraft"));
  const previewable = props.hasCopy && (props.state === "approved" || props.state === "published");
  if (!decides && !previewable) {
    return <p className="muted">No review decisions are open while the recap is {humanize(props.state)}.</p>;
  }
  return (
    <div className="actions">
      {previewable ? <PreviewLinkDecision {...props} /> : null}
      {can("approve") && clean && props.hasCopy ? (
        <DecisionForm {...props} action="approve" label="Approve">
          <span className="sr-only">Every number matches a fact. Approval renders the cards for the customer.</span>
        </DecisionForm>
      ) : null}
      {can("approve") && !clean && props.hasCopy ? (
        <ReasonDecision {...props} field="overrideReason" summary="Approve with override…">
          <DecisionForm {...props} action="approve" label="Approve with override">
            <ReasonField
              {...props}
              name="overrideReason"
              label="Why approve although a number matches no fact?"
              hint="Kept in the history, e.g. “the figure is from the customer’s own press release”."
            />
          </DecisionForm>
        </ReasonDecision>
      ) : null}
      {can("reject") && props.hasCopy ? (
        <ReasonDecision {...props} field="reason" summary="Reject…">
          <DecisionForm {...props} action="reject" label="Reject">
            <ReasonField {...props} name="reason" label="Reason for rejecting" hint="Shown in the history." />
          </DecisionForm>
        </ReasonDecision>
      ) : null}
      {can("request_redraft") && props.hasCopy ? (
        <ReasonDecision {...props} field="instructions" summary="Redraft…">
          <DecisionForm {...props} action="redraft" label="Send back for a redraft">
            <ReasonField
              {...props}
              name="instructions"
              label="Instructions for the redraft"
              hint="The drafter reads them, e.g. “Lead with the hours saved”."
            />
          </DecisionForm>
        </ReasonDecision>
      ) : null}
    </div>
  );
}
