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
        <strong>{props.tenantName} · Review</strong> · <a href="/review">Queue</a> ·{" "}
        <a href="/review/growth">Growth dashboard</a>
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

/**
 * The review pages' own layout rules, on top of the shared base: they must work on a phone (390 px)
 * without sideways scrolling, so wide tables turn into one block per row below 50rem and the
 * decision bar of the recap screen stays in view while the reviewer scrolls the long editor.
 */
export const REVIEW_CSS = `
header.top{flex-wrap:wrap;gap:.5rem}header.top form{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem}
main{overflow-wrap:break-word}main>*{min-width:0}
input[type=date]{font:inherit;padding:.5rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:#fff;max-width:100%}
.filters>div{min-width:0;max-width:100%}.filters select,.filters input{max-width:100%}
dl.meta{grid-template-columns:max-content minmax(0,1fr)}
.decision-bar{position:sticky;top:0;z-index:5;background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.6rem .75rem;margin:0 0 1rem;box-shadow:0 2px 8px rgba(31,42,68,.12)}
.decision-bar h2{font-size:.85rem;color:var(--muted);margin:0 0 .4rem}
.decision-bar .actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-start}.decision-bar .actions form{margin:0}
details.decision>summary{list-style:none;cursor:pointer;font-weight:600;padding:.6rem 1.1rem;border:1px solid var(--ink);border-radius:.4rem;background:#fff}
.preview.sticky{top:5.5rem}
details.decision>summary::-webkit-details-marker{display:none}details.decision[open]{flex-basis:100%}
details.decision[open]>summary{background:#eef2ff}.decision-panel{padding:.25rem 0}
.link-out{margin:0 0 1rem;padding:1rem}.link-out label{margin-top:0}.copy-row{display:flex;gap:.5rem}.copy-row input{flex:1;min-width:0}
.warning{color:#78350f;background:#fffbeb;border:1px solid #f59e0b;border-radius:.4rem;padding:.6rem .8rem}
.pager{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:1rem 0}
table[data-queue] tbody tr:focus-within{outline:2px solid #2563eb;outline-offset:-2px;background:#eff6ff}
.shortcuts{margin:0 0 .75rem}.shortcuts label{display:inline;font-weight:600;margin:0}.shortcuts [role=status]{margin-left:.5rem;color:var(--bad)}
kbd{font:inherit;font-size:.8rem;border:1px solid var(--line);border-bottom-width:2px;border-radius:.25rem;padding:0 .3rem;background:#fff}
@media(max-width:50rem){
main{padding:1rem .75rem}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th[scope=row]{display:block;width:100%}
table.stack tr{border-bottom:1px solid var(--line);padding:.4rem 0}table.stack td,table.stack th[scope=row]{border:0;padding:.15rem .6rem}
table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}table.stack td:first-child:not([data-label]){font-weight:600}
table.stack td.cell-block[data-label]::before{display:block}table.stack caption{display:block}
table.stack.compact td{display:inline-block;width:auto;padding-right:.9rem}table.stack.compact td.cell-block,table.stack.compact td:first-child:not([data-label]){display:block;width:100%}
.decision-bar{margin:0 -.25rem 1rem;padding:.5rem}.decision-bar h2{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
.decision-bar button,details.decision>summary{padding:.5rem .8rem}.shortcuts{display:none}
}`;

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
      <style>{REVIEW_CSS}</style>
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

/** The outcome after a redirect, announced politely: green for success, amber when work remains. */
export function StatusMessage(props: { message: string | undefined; warning?: string | undefined }) {
  return (
    <div role="status" aria-live="polite">
      {props.warning ? (
        <p className="warning">
          <strong>⚠ </strong>
          {props.warning}
        </p>
      ) : props.message ? (
        <p className="status">{props.message}</p>
      ) : null}
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
