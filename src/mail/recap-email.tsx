import { renderToStaticMarkup } from "react-dom/server";
import { printableName } from "../drafting/template-phrases.js";
import { getTranslator } from "../i18n/i18n.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { RecapKind } from "../recaps/recaps.schema.js";

export type RecapEmailInput = {
  locale: SupportedLocale;
  kind: RecapKind;
  /** For a milestone: the rule's name as the tenant wrote it ("First integration live"), when the recap has it. */
  moment?: string | null | undefined;
  /** The tenant's product name: who the customer agreed to hear from. */
  product: string;
  /** The period as a title names it (formatPeriodInTitle): "Q3 2026", "2026 so far", "4 Jul – 2 Oct 2026". */
  period: string;
  previewUrl: string;
  expiresAt: Date;
  /** The account's zone, so the expiry date is the customer's calendar day. */
  timeZone: string;
  /** The LinkedIn card when it could be rendered: attached, and shown inline in the HTML part. */
  card: Uint8Array | null;
  /** Where the card opens when it is not attached (the preview link's asset address). */
  cardUrl: string;
};

export type RecapEmail = {
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; contentType: "image/png"; cid: string }[];
};

const CARD_CID = "recap-card@outcome-recap";

/** What the e-mail says it brings: a quarter's results, the year in review, or a milestone. */
const INTRO: Record<RecapKind, string> = { quarterly: "intro", annual: "introAnnual", milestone: "introMilestone" };

/** The e-mail that tells the end customer an approved recap waits for them, in the recap's language. */
export function composeRecapEmail(input: RecapEmailInput): RecapEmail {
  const t = getTranslator(input.locale, "email");
  const date = new Intl.DateTimeFormat(input.locale, { dateStyle: "long", timeZone: input.timeZone }).format(
    input.expiresAt,
  );
  // The moment goes after a colon, where any wording of it reads in every language; one clean line
  // (it is a header in the subject), or the sentences without it.
  const moment = input.kind === "milestone" && input.moment ? printableName(input.moment, 60) : "";
  const values = { product: input.product, period: input.period, moment };
  const words = {
    subject: t(moment ? "subject.milestoneMoment" : `subject.${input.kind}`, values),
    greeting: t("greeting"),
    intro: t(INTRO[input.kind] + (moment ? "Moment" : ""), values),
    preview: t("preview"),
    button: t("button"),
    privateNote: t("privateNote", { date }),
    card: input.card ? t("cardAttached") : t("cardLink", { url: input.cardUrl }),
    cardAlt: t("cardAlt"),
    why: t("why", { product: input.product }),
    signoff: t("signoff"),
  };
  const text = [
    words.greeting,
    "",
    words.intro,
    "",
    words.preview,
    "",
    `${words.button}: ${input.previewUrl}`,
    "",
    words.privateNote,
    words.card,
    "",
    words.signoff,
    input.product,
    "",
    "-- ",
    words.why,
    "",
  ].join("\n");
  const html = `<!doctype html>${renderToStaticMarkup(<RecapEmailHtml input={input} words={words} />)}`;
  const attachments = input.card
    ? [
        {
          filename: "recap-linkedin.png",
          content: Buffer.from(input.card),
          contentType: "image/png" as const,
          cid: CARD_CID,
        },
      ]
    : [];
  return { subject: words.subject, text, html, attachments };
}

type Words = Record<
  "greeting" | "intro" | "preview" | "button" | "privateNote" | "card" | "cardAlt" | "why" | "signoff",
  string
>;

/** Plain, table-free HTML with inline styles: mail clients ignore style sheets and scripts. */
function RecapEmailHtml(props: { input: RecapEmailInput; words: Words }) {
  const { input, words } = props;
  const paragraph = { margin: "0 0 16px" };
  return (
    <html lang={input.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </head>
      <body style={{ margin: 0, padding: "24px", fontFamily: "Arial, Helvetica, sans-serif", color: "#1f2a44" }}>
        <div style={{ maxWidth: "560px", margin: "0 auto", fontSize: "16px", lineHeight: 1.5 }}>
          <p style={paragraph}>{words.greeting}</p>
          <p style={paragraph}>{words.intro}</p>
          {input.card ? (
            <p style={paragraph}>
              <img
                src={`cid:${CARD_CID}`}
                alt={words.cardAlt}
                width={552}
                style={{ maxWidth: "100%", height: "auto" }}
              />
            </p>
          ) : null}
          <p style={paragraph}>{words.preview}</p>
          <p style={{ margin: "24px 0" }}>
            <a
              href={input.previewUrl}
              style={{
                background: "#1f2a44",
                color: "#ffffff",
                padding: "12px 20px",
                borderRadius: "6px",
                textDecoration: "none",
                fontWeight: "bold",
              }}
            >
              {words.button}
            </a>
          </p>
          <p style={paragraph}>{words.privateNote}</p>
          {input.card ? null : (
            <p style={paragraph}>
              <a href={input.cardUrl}>{words.card}</a>
            </p>
          )}
          <p style={paragraph}>
            {words.signoff}
            <br />
            {input.product}
          </p>
          <p style={{ margin: "32px 0 0", fontSize: "13px", color: "#5b6478" }}>{words.why}</p>
        </div>
      </body>
    </html>
  );
}
