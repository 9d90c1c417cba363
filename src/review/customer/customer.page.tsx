import type { ReactNode } from "react";
import { formatFact } from "../../i18n/format.js";
import { isSupportedLocale } from "../../i18n/locales.js";
import { Layout } from "../../platform/pages/render.js";
import type { RecapWithAccount } from "../../recaps/recaps.js";
import type { Fact } from "../../usage/digest.types.js";

export type CustomerPageProps = {
  token: string;
  recap: RecapWithAccount;
  productName: string;
  hasCard: boolean;
  hasPdf: boolean;
  status?: string | undefined;
  problem?: { title: string; detail?: string | undefined } | undefined;
};

function Shell(props: { title: string; productName?: string; children: ReactNode }) {
  return (
    <Layout
      title={props.title}
      noindex
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

function headlineFacts(recap: RecapWithAccount): Fact[] {
  if (recap.digest.status !== "ok") return [];
  const digest = recap.digest;
  const ids = recap.copy?.highlights.map((highlight) => highlight.factId) ?? digest.headline;
  return ids.map((id) => digest.facts.find((fact) => fact.id === id)).filter((fact): fact is Fact => !!fact);
}

const FIELD_NAMES: Record<string, string> = {
  headline: "the headline",
  subheadline: "the subheadline",
  linkedinPost: "the LinkedIn post",
  callToAction: "the button",
  imageAlt: "the image description",
  transparencyNote: "the note",
};

/** Where else a fact's numbers are written: hiding a number takes it off the card, not out of the text. */
function mentionedIn(recap: RecapWithAccount, factId: string): string[] {
  const fields = new Set<string>();
  for (const number of recap.factCheck?.numbers ?? []) {
    const name = FIELD_NAMES[number.field];
    if (number.match?.factId === factId && name) fields.add(name);
  }
  return [...fields];
}

function NumberChoices(props: { recap: RecapWithAccount; disabled: boolean }) {
  const { recap } = props;
  const locale = isSupportedLocale(recap.locale) ? recap.locale : "en";
  const currency = recap.digest.status === "ok" ? recap.digest.currency : "EUR";
  return (
    <fieldset>
      <legend>The numbers on your card</legend>
      <p className="hint">Tick a number to keep it private: it is left off the card and the PDF.</p>
      {headlineFacts(recap).map((fact, index) => {
        const mentions = mentionedIn(recap, fact.id);
        return (
          <p key={fact.id}>
            <input
              type="checkbox"
              id={`hide-${index}`}
              name="hide"
              value={fact.id}
              defaultChecked={recap.hiddenFactIds.includes(fact.id)}
              disabled={props.disabled}
              aria-describedby={mentions.length ? `hide-${index}-hint` : undefined}
            />{" "}
            <label htmlFor={`hide-${index}`} style={{ display: "inline", fontWeight: 400 }}>
              Hide this number: <strong>{formatFact(fact, locale, currency).value}</strong> ({fact.label})
            </label>
            {mentions.length ? (
              <span className="hint" id={`hide-${index}-hint`}>
                {" "}
                Also written in {mentions.join(", ")}: hiding takes it off the card’s number tiles, not out of that
                text.
              </span>
            ) : null}
          </p>
        );
      })}
    </fieldset>
  );
}

function CopyAgreed(props: { recap: RecapWithAccount }) {
  const copy = props.recap.copy;
  if (!copy) return null;
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
      {props.hasCard ? (
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
    <Shell title="Your outcome recap" productName={props.productName}>
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
      </div>
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
          <NumberChoices recap={recap} disabled={false} />
          <CopyAgreed recap={recap} />
          <p>By publishing, you agree that this card and text may be shared publicly under your name.</p>
          <button type="submit">Publish</button>
        </form>
      ) : state === "published" || state === "unpublished" ? (
        <CopyAgreed recap={recap} />
      ) : null}
    </Shell>
  );
}
