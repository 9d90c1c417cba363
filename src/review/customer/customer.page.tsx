import type { ReactNode } from "react";
import { formatFact } from "../../i18n/format.js";
import { isSupportedLocale } from "../../i18n/locales.js";
import { Layout } from "../../platform/pages/render.js";
import { copyIsUpdating, type RecapWithAccount } from "../../recaps/recaps.js";
import type { Fact } from "../../usage/digest.types.js";
import { CUSTOMER_SCRIPT_PATH } from "./customer-script.js";

export type CustomerPageProps = {
  token: string;
  recap: RecapWithAccount;
  productName: string;
  hasCard: boolean;
  hasPdf: boolean;
  /** The copy or card is being re-made without the numbers the customer hid: nothing can be published yet. */
  updating?: boolean | undefined;
  /** Why the copy still shows a hidden number (a reviewer's edit, say): nothing can be published. */
  leak?: string | undefined;
  status?: string | undefined;
  problem?: { title: string; detail?: string | undefined } | undefined;
};

function Shell(props: { title: string; productName?: string; scripts?: string[]; children: ReactNode }) {
  return (
    <Layout
      title={props.title}
      noindex
      {...(props.scripts ? { scripts: props.scripts } : {})}
      header={
        <header className="top">
          <strong>{props.productName ? `${props.productName} · ` : ""}Your outcome recap</strong>
        </header>
      }
    >
      {props.children}
    </Layout>
  );
}

/** Unknown, malformed and expired links look the same: nothing to learn from guessing. */
export function PreviewNotFoundPage() {
  return (
    <Shell title="Link not valid">
      <div className="card narrow">
        <h1>This preview link is not valid any more</h1>
        <p>It may have expired or been mistyped. Ask for a new link in the product where you found it.</p>
      </div>
    </Shell>
  );
}

/**
 * The numbers the customer may hide or show again: those the copy highlights, and those already
 * hidden (the re-drafted copy no longer highlights them, but the customer may want them back).
 */
export function offeredFactIds(recap: RecapWithAccount): string[] {
  const ids = recap.copy?.highlights.map((highlight) => highlight.factId) ?? [];
  return [
    ...new Set([...(recap.digest.status === "ok" ? recap.digest.headline : []), ...ids, ...recap.hiddenFactIds]),
  ].filter((id) => ids.includes(id) || recap.hiddenFactIds.includes(id));
}

function offeredFacts(recap: RecapWithAccount): Fact[] {
  if (recap.digest.status !== "ok") return [];
  const digest = recap.digest;
  return offeredFactIds(recap)
    .map((id) => digest.facts.find((fact) => fact.id === id))
    .filter((fact): fact is Fact => !!fact);
}

function NumberChoices(props: { recap: RecapWithAccount; disabled: boolean; token: string }) {
  const { recap } = props;
  const locale = isSupportedLocale(recap.locale) ? recap.locale : "en";
  const currency = recap.digest.status === "ok" ? recap.digest.currency : "EUR";
  return (
    <fieldset>
      <legend>The numbers on your card</legend>
      <p className="hint" id="hide-hint">
        Tick a number to keep it private. It is taken out of everything that goes public: the card, the PDF, the
        headline and the post. The text is re-written without it, and you read the new text before you publish.
      </p>
      {offeredFacts(recap).map((fact, index) => (
        <p key={fact.id}>
          <input
            type="checkbox"
            id={`hide-${index}`}
            name="hide"
            value={fact.id}
            defaultChecked={recap.hiddenFactIds.includes(fact.id)}
            disabled={props.disabled}
            aria-describedby="hide-hint"
          />{" "}
          <label htmlFor={`hide-${index}`} style={{ display: "inline", fontWeight: 400 }}>
            Hide this number: <strong>{formatFact(fact, locale, currency).value}</strong> ({fact.label})
          </label>
        </p>
      ))}
      <button type="submit" className="secondary" formAction={`/p/${props.token}/hide`} disabled={props.disabled}>
        Re-write the text without the ticked numbers
      </button>
    </fieldset>
  );
}

function CopyAgreed(props: { recap: RecapWithAccount; updating?: boolean }) {
  const copy = props.recap.copy;
  if (!copy) return null;
  if (props.updating) {
    return (
      <section aria-labelledby="copy-heading">
        <h2 id="copy-heading">The text you agree to</h2>
        <p className="card muted">
          The text is being re-written without the numbers you hid. It appears here when ready.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="copy-heading">
      <h2 id="copy-heading">The text you agree to</h2>
      <div className="card" lang={props.recap.locale}>
        <p>
          <strong>{copy.headline}</strong>
        </p>
        <p>{copy.subheadline}</p>
        <ul>
          {copy.highlights.map((highlight) => (
            <li key={highlight.factId}>{highlight.text}</li>
          ))}
        </ul>
        <h3 lang="en">LinkedIn post</h3>
        <p style={{ whiteSpace: "pre-wrap" }}>{copy.linkedinPost}</p>
        <p className="hint">{copy.transparencyNote}</p>
      </div>
    </section>
  );
}

function Card(props: CustomerPageProps) {
  const base = `/p/${props.token}/assets`;
  return (
    <section aria-labelledby="card-heading">
      <h2 id="card-heading">Your card</h2>
      {props.updating ? (
        <p className="muted">The new card, without the numbers you hid, is being made. It appears here when ready.</p>
      ) : props.hasCard ? (
        <img
          src={`${base}/linkedin`}
          alt={props.recap.copy?.imageAlt ?? "The recap card"}
          width={1200}
          height={627}
          style={{ maxWidth: "100%", height: "auto" }}
        />
      ) : (
        <p className="muted">The card is still being prepared. Reload this page in a minute.</p>
      )}
      {props.hasPdf ? (
        <p>
          <a href={`${base}/pdf`} download>
            Download the PDF
          </a>
        </p>
      ) : null}
    </section>
  );
}

export function CustomerPage(props: CustomerPageProps) {
  const { recap, token } = props;
  const state = recap.state;
  const hidden = (
    <>
      <input type="hidden" name="version" value={recap.version} />
    </>
  );
  return (
    <Shell
      title="Your outcome recap"
      productName={props.productName}
      {...(props.updating ? { scripts: [CUSTOMER_SCRIPT_PATH] } : {})}
    >
      <h1>
        {recap.accountName}: your {recap.period} recap from {props.productName}
      </h1>
      {props.problem ? (
        <div className="error" role="alert">
          <strong>{props.problem.title}</strong>
          {props.problem.detail ? <p>{props.problem.detail}</p> : null}
        </div>
      ) : null}
      <div role="status" aria-live="polite">
        {props.status ? <p className="status">{props.status}</p> : null}
        {props.updating ? (
          <p className="status updating" data-updating-status={`/p/${token}/status`}>
            Your text and card are being updated without the numbers you hid. This page shows them as soon as they are
            ready (or reload it in a minute). You can publish once they are.
          </p>
        ) : null}
      </div>
      {props.leak ? (
        <div className="error" role="alert">
          <strong>This text cannot be published: it still shows a number you hid.</strong>
          <p>{props.leak} Tick or untick a number to have the text re-written, or ask for a new version.</p>
        </div>
      ) : null}
      {state === "published" ? (
        <div className="card">
          <h2>Published</h2>
          <p>Your recap is public. You can take it down at any time; its links then stop working at once.</p>
          <form method="post" action={`/p/${token}/unpublish`}>
            {hidden}
            <button type="submit" className="secondary">
              Unpublish
            </button>
          </form>
        </div>
      ) : null}
      {state === "unpublished" ? (
        <p className="card">You took this recap down. Its public links no longer work.</p>
      ) : null}
      {state !== "approved" && state !== "published" && state !== "unpublished" ? (
        <p className="card">This recap is not ready to publish right now. Check back later, or ask for a new link.</p>
      ) : null}
      {state === "approved" || state === "published" ? <Card {...props} /> : null}
      {state === "approved" ? (
        <form method="post" action={`/p/${token}/publish`}>
          {hidden}
          <NumberChoices recap={recap} disabled={!!props.updating} token={token} />
          <CopyAgreed recap={recap} updating={copyIsUpdating(recap)} />
          <p>By publishing, you agree that this card and text may be shared publicly under your name.</p>
          <button type="submit" disabled={!!props.updating || !!props.leak}>
            Publish
          </button>
        </form>
      ) : state === "published" || state === "unpublished" ? (
        <CopyAgreed recap={recap} />
      ) : null}
    </Shell>
  );
}
