import type { ReactNode } from "react";
import type { ShareLabels } from "./share-labels.js";
import { SHARE_SCRIPT_PATH } from "./share-script.js";

const CSS = `
:root{--ink:#1f2a44;--muted:#5b6478;--line:#d9dce3;--accent:#c2410c;--bg:#fbf8f3}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:52rem;margin:0 auto;padding:2rem 1.25rem}h1{font-size:1.8rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
img.card{width:100%;height:auto;border:1px solid var(--line);border-radius:.75rem;background:#fff}
.numbers{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem;list-style:none;padding:0;margin:0}
.numbers li{background:#fff;border:1px solid var(--line);border-radius:.75rem;padding:1rem}.numbers strong{display:block;font-size:1.8rem}
.cta{display:inline-block;margin:1.5rem 0;padding:.9rem 1.6rem;border-radius:.5rem;background:var(--accent);color:#fff;font-weight:700;font-size:1.15rem;text-decoration:none}
.actions{display:flex;flex-wrap:wrap;gap:.6rem;margin:.75rem 0}.actions a,.actions button{font:inherit;font-weight:600;padding:.6rem 1rem;border-radius:.4rem;border:1px solid var(--ink);background:#fff;color:var(--ink);text-decoration:none;cursor:pointer}
.actions .primary{background:#0a66c2;border-color:#0a66c2;color:#fff}
a:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
textarea,input[type=text]{width:100%;padding:.6rem;border:1px solid var(--line);border-radius:.4rem;font:inherit;background:#fff}
.muted{color:var(--muted)}.status{min-height:1.5rem;color:#166534;font-weight:600}
`;

export type ShareMeta = {
  lang: string;
  title: string;
  description: string;
  canonicalUrl: string;
  image: { url: string; width: number; height: number; alt: string } | null;
  ogLocale: string;
};

/** The whole document: head tags for LinkedIn's crawler, the page for people. */
export function ShareDocument(props: { meta: ShareMeta; children: ReactNode; script?: boolean }) {
  const { meta } = props;
  return (
    <html lang={meta.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{meta.title}</title>
        <meta name="description" content={meta.description} />
        <link rel="canonical" href={meta.canonicalUrl} />
        <meta property="og:type" content="website" />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:url" content={meta.canonicalUrl} />
        <meta property="og:locale" content={meta.ogLocale} />
        {meta.image ? (
          <>
            <meta property="og:image" content={meta.image.url} />
            <meta property="og:image:secure_url" content={meta.image.url} />
            <meta property="og:image:type" content="image/png" />
            <meta property="og:image:width" content={String(meta.image.width)} />
            <meta property="og:image:height" content={String(meta.image.height)} />
            <meta property="og:image:alt" content={meta.image.alt} />
          </>
        ) : null}
        <meta name="twitter:card" content="summary_large_image" />
        <meta name="twitter:title" content={meta.title} />
        <meta name="twitter:description" content={meta.description} />
        {meta.image ? (
          <>
            <meta name="twitter:image" content={meta.image.url} />
            <meta name="twitter:image:alt" content={meta.image.alt} />
          </>
        ) : null}
        <style>{CSS}</style>
        {props.script ? <script src={SHARE_SCRIPT_PATH} defer /> : null}
      </head>
      <body>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

export type ShareView = {
  headline: string;
  subheadline: string;
  cardUrl: string | null;
  imageAlt: string;
  numbers: { id: string; label: string; value: string; change: string | null }[];
  highlights: string[];
  callToAction: string;
  redirectUrl: string;
  linkedInUrl: string;
  postText: string;
  shareUrl: string;
  pdfUrl: string | null;
  mailto: string;
  transparencyNote: string;
};

export function SharePage(props: { view: ShareView; labels: ShareLabels }) {
  const { view, labels } = props;
  return (
    <>
      <h1>{view.headline}</h1>
      <p className="muted">{view.subheadline}</p>
      {view.cardUrl ? <img className="card" src={view.cardUrl} alt={view.imageAlt} width={1200} height={627} /> : null}
      {view.numbers.length > 0 ? (
        <section aria-labelledby="numbers">
          <h2 id="numbers">{labels.numbers}</h2>
          <ul className="numbers">
            {view.numbers.map((number) => (
              <li key={number.id} data-fact={number.id}>
                <strong>{number.value}</strong>
                <span>{number.label}</span>
                {number.change ? <span className="muted"> ({number.change})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {view.highlights.length > 0 ? (
        <section aria-labelledby="highlights">
          <h2 id="highlights">{labels.highlights}</h2>
          <ul>
            {view.highlights.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <a className="cta" href={view.redirectUrl} data-role="cta">
        {view.callToAction}
      </a>
      <section aria-label={labels.shareOnLinkedIn}>
        <div className="actions">
          <a
            className="primary"
            href={view.linkedInUrl}
            target="_blank"
            rel="noopener noreferrer"
            data-role="linkedin"
            data-copy={view.postText}
            data-copied={labels.copied}
          >
            {labels.shareOnLinkedIn}
          </a>
          <button type="button" data-role="copy-post" data-copy={view.postText} data-copied={labels.copied}>
            {labels.copyPost}
          </button>
          <button type="button" data-role="copy-link" data-copy={view.shareUrl} data-copied={labels.copied}>
            {labels.copyLink}
          </button>
          {view.pdfUrl ? (
            <a href={view.pdfUrl} download data-role="pdf">
              {labels.downloadPdf}
            </a>
          ) : null}
          <a href={view.mailto} data-role="email">
            {labels.emailTeam}
          </a>
        </div>
        <p className="status" data-copy-status="" aria-live="polite" />
        <p className="muted">{labels.linkedInHint}</p>
        <label htmlFor="post-text">{labels.postText}</label>
        <textarea id="post-text" readOnly rows={6} value={view.postText} />
        <label htmlFor="share-link">{labels.link}</label>
        <input id="share-link" type="text" readOnly value={view.shareUrl} />
      </section>
      <p className="muted">{view.transparencyNote}</p>
    </>
  );
}

export function MessagePage(props: { title: string; text: string }) {
  return (
    <>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
    </>
  );
}
