import { countHashtags, type RecapCopy } from "../../drafting/copy.schema.js";
import type { FactCheckResult } from "../../drafting/fact-check.js";
import type { Digest } from "../../usage/digest.types.js";
import { FieldErrors } from "./components.js";
import { type CopyField, copyFields } from "./copy-fields.js";
import { FieldNumbers, HighlightedText } from "./numbers.js";

const fieldId = (name: string) => `copy-${name.replace(/\./g, "-")}`;

/** The server's count; the script keeps it live while typing. */
function CharacterCount(props: { id: string; inputId: string; value: string; max: number }) {
  const length = props.value.length;
  const over = length - props.max;
  return (
    <p className="hint" id={props.id} data-counter-for={props.inputId} data-max={props.max}>
      <span data-count="">{length}</span> / {props.max} characters
      <span data-over="" className="field-error">
        {over > 0 ? ` (${over} over the limit)` : ""}
      </span>
      {" · "}
      <span data-hashtags="">{countHashtags(props.value)}</span> / 3 hashtags
      <span className="sr-only" aria-live="polite" data-count-live="" />
    </p>
  );
}

function Field(props: {
  field: CopyField;
  shown: string;
  errors: string[] | undefined;
  factCheck: FactCheckResult | null;
  digest: Digest;
  lang: string;
}) {
  const { field } = props;
  const id = fieldId(field.name);
  const counted = field.name === "linkedinPost";
  const numbered =
    props.shown !== field.value || (props.factCheck?.numbers.some((n) => n.field === field.name) ?? false);
  const describedBy = [
    `${id}-hint`,
    counted ? `${id}-count` : null,
    props.errors?.length ? `${id}-error` : null,
    numbered ? `${id}-numbers` : null,
  ]
    .filter(Boolean)
    .join(" ");
  const common = {
    id,
    name: field.name,
    lang: props.lang,
    required: true,
    defaultValue: props.shown,
    "aria-describedby": describedBy,
    "aria-invalid": props.errors?.length ? true : undefined,
  } as const;
  return (
    <div>
      <label htmlFor={id}>{field.label}</label>
      <p className="hint" id={`${id}-hint`}>
        Plain text, up to {field.max} characters; no links or HTML.
      </p>
      {field.multiline ? <textarea rows={counted ? 8 : 2} {...common} /> : <input type="text" {...common} />}
      {counted ? <CharacterCount id={`${id}-count`} inputId={id} value={props.shown} max={field.max} /> : null}
      <FieldErrors id={`${id}-error`} messages={props.errors} />
      <FieldNumbers
        id={`${id}-numbers`}
        field={field.name}
        shown={props.shown}
        saved={field.value}
        factCheck={props.factCheck}
        digest={props.digest}
        lang={props.lang}
      />
    </div>
  );
}

export type CopyFormProps = {
  recapId: string;
  copy: RecapCopy;
  factCheck: FactCheckResult | null;
  digest: Digest;
  locale: string;
  csrfToken: string;
  formVersion: number;
  editable: boolean;
  submitted?: Record<string, string> | undefined;
  fieldErrors?: Record<string, string[]> | undefined;
};

/** Every copy field, editable when the state allows an edit, each with its checked numbers. */
export function CopyForm(props: CopyFormProps) {
  const fields = copyFields(props.copy, props.digest.status === "ok" ? props.digest.facts : []);
  if (!props.editable) {
    return (
      <dl>
        {fields.map((field) => (
          <div key={field.name}>
            <dt>
              <strong>{field.label}</strong>
            </dt>
            <dd lang={props.locale} style={{ whiteSpace: "pre-wrap", margin: "0 0 .75rem" }}>
              <HighlightedText
                text={field.value}
                numbers={props.factCheck?.numbers.filter((n) => n.field === field.name) ?? []}
                digest={props.digest}
              />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <form method="post" action={`/review/recaps/${props.recapId}/copy`} aria-labelledby="copy-heading">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="version" value={props.formVersion} />
      {fields.map((field) => (
        <Field
          key={field.name}
          field={field}
          shown={props.submitted?.[field.name] ?? field.value}
          errors={props.fieldErrors?.[field.name]}
          factCheck={props.factCheck}
          digest={props.digest}
          lang={props.locale}
        />
      ))}
      <p>
        <button type="submit">Save copy</button>{" "}
        <span className="hint">Saving checks every number again; an approved recap goes back to review.</span>
      </p>
    </form>
  );
}
