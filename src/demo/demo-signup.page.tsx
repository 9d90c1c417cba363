import type { ReactNode } from "react";
import { getTranslator } from "../i18n/i18n.js";
import { LanguageSwitch } from "../i18n/language-switch.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { Layout } from "../platform/pages/render.js";

import { DEMO_SIGNUP_PATH } from "./demo-signup-path.js";

export { DEMO_SIGNUP_PATH };

const words = (lang: SupportedLocale) => getTranslator(lang, "demo");

function Shell(props: { lang: SupportedLocale; title: string; shareRef?: string; children: ReactNode }) {
  const t = words(props.lang);
  const common = getTranslator(props.lang, "customer");
  // The switch keeps the ref, so a newcomer who changes language still closes their loop.
  const path = props.shareRef ? `${DEMO_SIGNUP_PATH}?ref=${encodeURIComponent(props.shareRef)}` : DEMO_SIGNUP_PATH;
  return (
    <Layout
      title={props.title}
      lang={props.lang}
      skipLabel={common("shell.skip")}
      noindex
      header={
        <header className="top">
          <strong>{t("title")}</strong>
          <LanguageSwitch current={props.lang} label={common("language.label")} path={path} />
        </header>
      }
    >
      <div className="card narrow">{props.children}</div>
    </Layout>
  );
}

/** A labelled input whose error, when there is one, is read out with it. */
function TextField(props: {
  name: "name" | "email";
  type: "text" | "email";
  label: string;
  maxLength: number;
  value: string | undefined;
  error: string | undefined;
}) {
  const errorId = `${props.name}-error`;
  return (
    <>
      <label htmlFor={props.name}>{props.label}</label>
      <input
        type={props.type}
        id={props.name}
        name={props.name}
        autoComplete={props.name}
        maxLength={props.maxLength}
        defaultValue={props.value ?? ""}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? errorId : undefined}
      />
      {props.error ? (
        <p className="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}

export type SignupErrors = { name?: boolean; email?: boolean };

/** The fictitious newcomer's sign-up form; it says plainly that it is a demo. */
export function DemoSignupPage(props: {
  lang: SupportedLocale;
  shareRef: string;
  values?: { name: string; email: string };
  errors?: SignupErrors;
}) {
  const t = words(props.lang);
  const errors = props.errors ?? {};
  return (
    <Shell lang={props.lang} title={t("title")} shareRef={props.shareRef}>
      <h1>{t("heading")}</h1>
      <p className="muted">{t("note")}</p>
      <form method="post" action={DEMO_SIGNUP_PATH} noValidate>
        <input type="hidden" name="ref" value={props.shareRef} />
        <input type="hidden" name="lang" value={props.lang} />
        <TextField
          name="name"
          type="text"
          label={t("name")}
          maxLength={100}
          value={props.values?.name}
          error={errors.name ? t("nameMissing") : undefined}
        />
        <TextField
          name="email"
          type="email"
          label={t("email")}
          maxLength={200}
          value={props.values?.email}
          error={errors.email ? t("emailInvalid") : undefined}
        />
        <p>
          <button type="submit">{t("submit")}</button>
        </p>
      </form>
    </Shell>
  );
}

/** After the sign-up: the loop closed; the growth dashboard shows it. */
export function DemoSignedUpPage(props: { lang: SupportedLocale; shareRef: string; again: boolean }) {
  const t = words(props.lang);
  return (
    <Shell lang={props.lang} title={t("doneTitle")} shareRef={props.shareRef}>
      <h1>{t("doneHeading")}</h1>
      <p role="status">{t(props.again ? "doneAgain" : "doneBody")}</p>
      <p>
        <a href="/review/growth">{t("dashboard")}</a>
      </p>
    </Shell>
  );
}

export type DemoSignupProblem = "unknown" | "refused" | "taken";

/** Why nothing was recorded: a missing or unknown ref, another tenant's link, an address already used. */
export function DemoSignupProblemPage(props: { lang: SupportedLocale; problem: DemoSignupProblem }) {
  const t = words(props.lang);
  return (
    <Shell lang={props.lang} title={t(`${props.problem}Title`)}>
      <h1>{t(`${props.problem}Title`)}</h1>
      <p className="error" role="alert">
        {t(`${props.problem}Body`)}
      </p>
    </Shell>
  );
}
