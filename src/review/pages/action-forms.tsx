import type { ReactNode } from "react";
import type { FactCheckResult } from "../../drafting/fact-check.js";
import type { RecapState } from "../../recaps/recaps.schema.js";
import type { ActorType } from "../state-machine.js";
import { availableActions } from "../state-machine.js";
import { FieldErrors, humanize } from "./components.js";

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

/** The buttons the state machine offers this reviewer now, and only those. */
export function ActionForms(props: ActionFormsProps) {
  const actions = availableActions(props.state, props.role);
  const can = (action: string) => actions.includes(action as never);
  const clean = props.factCheck?.ok !== false;
  const offered = props.hasCopy && (can("approve") || can("reject") || can("request_redraft"));
  if (!offered) {
    return <p className="muted">No review decisions are open while the recap is {humanize(props.state)}.</p>;
  }
  return (
    <div className="actions">
      {can("approve") && clean ? (
        <DecisionForm {...props} action="approve" label="Approve">
          <p className="hint">Every number matches a fact. Approval renders the cards for the customer.</p>
        </DecisionForm>
      ) : null}
      {can("approve") && !clean ? (
        <DecisionForm {...props} action="approve" label="Approve with override">
          <ReasonField
            {...props}
            name="overrideReason"
            label="Why approve although a number matches no fact?"
            hint="Kept in the history, e.g. “the figure is from the customer’s own press release”."
          />
        </DecisionForm>
      ) : null}
      {can("reject") ? (
        <DecisionForm {...props} action="reject" label="Reject">
          <ReasonField {...props} name="reason" label="Reason for rejecting" hint="Shown in the history." />
        </DecisionForm>
      ) : null}
      {can("request_redraft") ? (
        <DecisionForm {...props} action="redraft" label="Send back for a redraft">
          <ReasonField
            {...props}
            name="instructions"
            label="Instructions for the redraft"
            hint="The drafter reads them, e.g. “Lead with the hours saved”."
          />
        </DecisionForm>
      ) : null}
    </div>
  );
}
