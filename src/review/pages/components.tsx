import type { ReactNode } from "react";
import type { SessionPrincipal } from "../../platform/http/app-env.js";
import { Layout } from "../../platform/pages/render.js";
import type { RecapState } from "../../recaps/recaps.schema.js";

/** The one script of the review pages: progressive enhancement only (counters, select-all, focus). */
export const REVIEW_SCRIPT_PATH = "/review/assets/review.js";

export const humanize = (value: string) => value.replace(/_/g, " ");

const LANGUAGE_NAMES = new Intl.DisplayNames(["en"], { type: "language" });
export const localeName = (locale: string) => {
  try {
    return `${LANGUAGE_NAMES.of(locale) ?? locale} (${locale})`;
  } catch {
    return locale;
  }
};

export const VARIANT_NAMES: Record<string, string> = { A: "A · rational", B: "B · pride" };

/** "3 d", "5 h", "12 min": how long ago, short enough for a table cell. */
export function formatAge(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

export const formatWhen = (at: Date | string) => {
  const date = typeof at === "string" ? new Date(at) : at;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
};

function SignedInHeader(props: { session: SessionPrincipal; tenantName: string }) {
  return (
    <header className="top">
      <nav aria-label="Review">
        <strong>{props.tenantName} · Review</strong> · <a href="/review">Queue</a>
      </nav>
      <form method="post" action="/review/logout">
        <span className="muted">
          {props.session.name} ({props.session.role}){" "}
        </span>
        <input type="hidden" name="_csrf" value={props.session.csrfToken} />
        <button type="submit" className="secondary">
          Sign out
        </button>
      </form>
    </header>
  );
}

/** A signed-in review page: header with the tenant and the sign-out form, skip link, the script. */
export function ReviewShell(props: {
  session: SessionPrincipal;
  tenantName: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <Layout
      title={props.title}
      scripts={[REVIEW_SCRIPT_PATH]}
      header={<SignedInHeader session={props.session} tenantName={props.tenantName} />}
    >
      {props.children}
    </Layout>
  );
}

export function StateBadge(props: { state: RecapState }) {
  return <span className="badge state">{humanize(props.state)}</span>;
}

export function FlaggedBadge() {
  return (
    <span className="badge flag" title="The drafting or the fact-check asks for a closer look">
      ⚑ flagged
    </span>
  );
}

/** Success after a redirect: announced politely. */
export function StatusMessage(props: { message: string | undefined }) {
  return (
    <div role="status" aria-live="polite">
      {props.message ? <p className="status">{props.message}</p> : null}
    </div>
  );
}

/** A problem with the last submission: announced at once, and focused by the script. */
export function ErrorAlert(props: { title: string; children?: ReactNode }) {
  return (
    <div className="error" role="alert" id="problem" tabIndex={-1} data-autofocus="">
      <strong>{props.title}</strong>
      {props.children}
    </div>
  );
}

export function FieldErrors(props: { id: string; messages: string[] | undefined }) {
  if (!props.messages?.length) return null;
  return (
    <p className="field-error" id={props.id}>
      {props.messages.join("; ")}
    </p>
  );
}

/** Errors for review pages as pages, not JSON: a signed-in person reads them. */
export function ErrorPage(props: { title: string; message: string; back?: { href: string; label: string } }) {
  return (
    <Layout title={props.title}>
      <div className="card narrow">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.back ? (
          <p>
            <a href={props.back.href}>{props.back.label}</a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}
