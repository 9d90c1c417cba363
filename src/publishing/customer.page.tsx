import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { factLabel } from "../drafting/fact-label.js";
import { amountPhrase } from "../drafting/template-facts.js";
import { createPhrasebook } from "../drafting/template-phrases.js";
import { formatFact, formatPeriodInTitle, recapPeriod } from "../i18n/format.js";
import { getTranslator } from "../i18n/i18n.js";
import { LanguageSwitch } from "../i18n/language-switch.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { withLang } from "../i18n/page-locale.js";
import { Layout } from "../platform/pages/render.js";
import { copyIsUpdating, type RecapWithAccount } from "../recaps/recaps.js";
import type { Theme } from "../rendering/rendering.types.js";
import { CARD_SIZES } from "../rendering/rendering.types.js";
import type { Fact } from "../usage/digest.types.js";
import { Choices, type ChoicesFeedback, currentLook, previewSrc } from "./choices.page.js";
import { CHOICES_SCRIPT_PATH } from "./choices-script.js";
import { CUSTOMER_SCRIPT_PATH } from "./customer-script.js";

export type CustomerPageProps = {
  token: string;
  /** The language of the page's own words: the recap's, unless the customer chose another. */
  lang: SupportedLocale;
  /** The language the customer chose with `?lang=`, kept on the page's forms and links. */
  chosen?: SupportedLocale | undefined;
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
  /** The share hub a published recap's page shows (share-hub.page.tsx). */
  hub?: ReactNode;
  /** The tenant's default look, until the customer chooses one. */
  brandTheme?: Theme | undefined;
  /** What the page says back about a refused choice (the customer's unsaved post, and why). */
  choices?: ChoicesFeedback | undefined;
};

/** The page's words in its language (locales/<lng>/customer.json). */
export const customerWords = (lang: SupportedLocale): TFunction => getTranslator(lang, "customer");

function Shell(props: {
  title: string;
  lang: SupportedLocale;
  /** Where the language switch links to (the same page); none on a page that cannot be shown again. */
  path?: string;
  productName?: string;
  scripts?: string[];
  children: ReactNode;
}) {
  const t = customerWords(props.lang);
  return (
    <Layout
      title={props.title}
      lang={props.lang}
      skipLabel={t("shell.skip")}
      noindex
      {...(props.scripts ? { scripts: props.scripts } : {})}
      header={
        <header className="top">
          <strong>
            {props.productName ? `${props.productName} · ` : ""}
            {t("shell.heading")}
          </strong>
          {props.path ? <LanguageSwitch current={props.lang} label={t("language.label")} path={props.path} /> : null}
        </header>
      }
    >
      {props.children}
    </Layout>
  );
}

/** Unknown, malformed and expired links look the same: nothing to learn from guessing. */
export function PreviewNotFoundPage(props: { lang: SupportedLocale }) {
  const t = customerWords(props.lang);
  return (
    <Shell title={t("notFound.title")} lang={props.lang}>
      <div className="card narrow">
        <h1>{t("notFound.heading")}</h1>
        <p>{t("notFound.body")}</p>
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

/**
 * A number as the page's language says it ("1 284 tuntia manuaalista työtä"), from the same phrases
 * as the copy; when the tenant named the metric in this language, the number and that name.
 */
function numberPhrase(fact: Fact, lang: SupportedLocale, currency: string): string {
  const formatted = formatFact(fact, lang, currency);
  if (fact.labels?.[lang]?.trim()) return `${formatted.value} – ${factLabel(lang, fact, "name")}`;
  return amountPhrase(createPhrasebook(lang, fact.id), fact, formatted.valueLong);
}

function NumberChoices(props: {
  recap: RecapWithAccount;
  disabled: boolean;
  token: string;
  lang: SupportedLocale;
  chosen?: SupportedLocale | undefined;
}) {
  const { recap, lang } = props;
  const t = customerWords(lang);
  const currency = recap.digest.status === "ok" ? recap.digest.currency : "EUR";
  return (
    <fieldset>
      <legend>{t("numbers.legend")}</legend>
      <p className="hint" id="hide-hint">
        {t("numbers.hint")}
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
            {t("numbers.hide")} <strong>{numberPhrase(fact, lang, currency)}</strong>
          </label>
        </p>
      ))}
      <button
        type="submit"
        className="secondary"
        formAction={withLang(`/p/${props.token}/hide`, props.chosen)}
        disabled={props.disabled}
      >
        {t("numbers.rewrite")}
      </button>
    </fieldset>
  );
}

function CopyAgreed(props: { recap: RecapWithAccount; lang: SupportedLocale; updating?: boolean }) {
  const copy = props.recap.copy;
  const t = customerWords(props.lang);
  if (!copy) return null;
  if (props.updating) {
    return (
      <section aria-labelledby="copy-heading">
        <h2 id="copy-heading">{t("copy.heading")}</h2>
        <p className="card muted">{t("copy.updating")}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="copy-heading">
      <h2 id="copy-heading">{t("copy.heading")}</h2>
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
        <h3 lang={props.lang}>{t("copy.linkedin")}</h3>
        <p style={{ whiteSpace: "pre-wrap" }}>{copy.linkedinPost}</p>
        <p className="hint">{copy.transparencyNote}</p>
      </div>
    </section>
  );
}

function Card(props: CustomerPageProps) {
  const base = `/p/${props.token}/assets`;
  const first = currentLook(props.recap, props.brandTheme).firstCardSize;
  const t = customerWords(props.lang);
  return (
    <section aria-labelledby="card-heading">
      <h2 id="card-heading">{t("card.heading")}</h2>
      {props.updating ? (
        <p className="muted">{t("card.updating")}</p>
      ) : props.hasCard ? (
        <p className="card-preview">
          <img
            // Rendered for the customer's current choices (look, size, wording), so it follows each change.
            src={previewSrc(props.token, props.recap, first)}
            data-card-preview={`/p/${props.token}/preview`}
            data-version={props.recap.version}
            // The alt text describes the card, which is in the recap's language.
            lang={props.recap.copy?.imageAlt ? props.recap.locale : props.lang}
            alt={props.recap.copy?.imageAlt ?? t("card.alt")}
            width={CARD_SIZES[first].width}
            height={CARD_SIZES[first].height}
            style={{ maxWidth: "100%", maxHeight: "80vh", width: "auto", height: "auto" }}
          />
        </p>
      ) : (
        <p className="muted">{t("card.preparing")}</p>
      )}
      {props.hasPdf ? (
        <p>
          <a href={`${base}/pdf`} download>
            {t("card.pdf")}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** "Your Q3 2026 recap" takes a quarter; a year in review and a milestone have their own wording. */
const HEADING = { quarterly: "page.heading", annual: "page.headingYear", milestone: "page.headingMilestone" } as const;

export function CustomerPage(props: CustomerPageProps) {
  const { recap, token, lang, chosen } = props;
  const t = customerWords(lang);
  const state = recap.state;
  const hidden = (
    <>
      <input type="hidden" name="version" value={recap.version} />
    </>
  );
  return (
    <Shell
      title={t("shell.heading")}
      lang={lang}
      path={`/p/${token}`}
      productName={props.productName}
      scripts={[
        ...(props.updating ? [CUSTOMER_SCRIPT_PATH] : []),
        ...(state === "approved" ? [CHOICES_SCRIPT_PATH] : []),
      ]}
    >
      <h1>
        {t(HEADING[recap.kind], {
          account: recap.accountName,
          period: formatPeriodInTitle(recapPeriod(recap), lang),
        })}
      </h1>
      {lang !== recap.locale ? <p className="content-lang">{t(`language.contentStays.${recap.locale}`)}</p> : null}
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
            {t("updating")}
          </p>
        ) : null}
      </div>
      {props.leak ? (
        <div className="error" role="alert">
          <strong>{t("leak.title")}</strong>
          <p>{t("leak.detail")}</p>
        </div>
      ) : null}
      {state === "published" ? props.hub : null}
      {state === "published" ? (
        <div className="card">
          <h2>{t("published.heading")}</h2>
          <p>{t("published.body")}</p>
          <form method="post" action={withLang(`/p/${token}/unpublish`, chosen)}>
            {hidden}
            <button type="submit" className="secondary">
              {t("published.unpublish")}
            </button>
          </form>
        </div>
      ) : null}
      {state === "unpublished" ? <p className="card">{t("unpublished")}</p> : null}
      {state !== "approved" && state !== "published" && state !== "unpublished" ? (
        <p className="card">{t("notReady")}</p>
      ) : null}
      {state === "approved" || state === "published" ? <Card {...props} /> : null}
      {state === "approved" ? (
        <Choices
          token={token}
          recap={recap}
          lang={lang}
          chosen={chosen}
          brandTheme={props.brandTheme}
          feedback={props.choices}
          disabled={!!props.updating}
        />
      ) : null}
      {state === "approved" ? (
        <form method="post" action={withLang(`/p/${token}/publish`, chosen)}>
          {hidden}
          <NumberChoices recap={recap} disabled={!!props.updating} token={token} lang={lang} chosen={chosen} />
          <CopyAgreed recap={recap} lang={lang} updating={copyIsUpdating(recap)} />
          <p>{t("consent")}</p>
          {/* A refused post blocks publishing until the customer fixes it (or reloads the saved text). */}
          <button type="submit" disabled={!!props.updating || !!props.leak || !!props.choices?.postError}>
            {t("publish")}
          </button>
        </form>
      ) : state === "published" || state === "unpublished" ? (
        <CopyAgreed recap={recap} lang={lang} />
      ) : null}
    </Shell>
  );
}
