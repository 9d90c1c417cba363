import { formatNumber } from "../i18n/format.js";
import { getTranslator } from "../i18n/i18n.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { CARD_SIZES } from "../rendering/rendering.types.js";
import type { ShareHubDownload, ShareHubView } from "./share-hub.js";
import { SHARE_HUB_SCRIPT_PATH } from "./share-hub-script.js";

// The hub's own look: one loud primary action, the other channels as equal tiles, then the
// downloads and the count. Inline like the layout's CSS (the CSP allows inline styles, not scripts).
const HUB_CSS = `
.hub{margin:1.5rem 0 2rem;background:#fff;border:1px solid var(--line);border-radius:1rem;overflow:hidden}
.hub-top{background:var(--ink);color:#fff;padding:1.25rem 1.5rem}.hub-top h2{margin:0 0 .35rem;font-size:1.5rem}.hub-top p{margin:0;color:#e5e7eb}
.hub-body{padding:1.25rem 1.5rem}
.hub-main{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.hub a.btn,.hub button.btn{display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:2.9rem;padding:.65rem 1.1rem;border-radius:.55rem;border:1px solid var(--ink);background:#fff;color:var(--ink);font:inherit;font-weight:650;text-decoration:none;cursor:pointer;text-align:center}
.hub [hidden]{display:none!important}
.hub a.btn.linkedin{background:#0a66c2;border-color:#0a66c2;color:#fff;font-size:1.1rem;padding:.8rem 1.5rem}
.hub a.btn:hover,.hub button.btn:hover{box-shadow:0 0 0 3px #dbeafe}
.hub-more{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.6rem;margin:1rem 0 .5rem}
.hub-status{margin:.75rem 0;padding:.7rem .9rem;border-radius:.5rem;background:#f0fdf4;border:1px solid #bbf7d0;color:var(--ok);font-weight:600}
.hub-status:empty{display:none}.hub-status.failed{background:#fef2f2;border-color:#fecaca;color:var(--bad)}
.hub textarea{min-height:9rem}.hub .hint{margin:.5rem 0 0}
.hub h3{font-size:1.1rem;margin:1.75rem 0 .6rem}
.hub-files{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.75rem;list-style:none;margin:0;padding:0}
.hub-files a{display:flex;flex-direction:column;gap:.35rem;height:100%;padding:.6rem;border:1px solid var(--line);border-radius:.6rem;text-decoration:none;background:var(--bg)}
.hub-files a:hover{border-color:var(--ink)}.hub-files .thumb{display:flex;align-items:center;justify-content:center;height:7rem}
.hub-files img{max-width:100%;max-height:7rem;width:auto;height:auto;border-radius:.3rem;box-shadow:0 1px 4px #0002}
.hub-files .doc{font-weight:800;font-size:1.4rem;letter-spacing:.05em;color:var(--accent);border:2px solid var(--accent);border-radius:.3rem;padding:1.3rem .8rem}
.hub-files strong{font-size:.95rem}.hub-files span.muted{font-size:.8rem}
.hub-impact{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;padding:1rem 1.1rem;border-radius:.75rem;background:#fff7ed;border:1px solid #fed7aa}
.hub-impact .big{font-size:3rem;line-height:1;font-weight:800;color:var(--accent)}.hub-impact p{margin:0;flex:1 1 12rem;font-weight:600}
.hub-impact p.signups{flex-basis:100%;font-weight:400}.hub-impact p.none{font-weight:400}
.hub-reward{margin-top:1rem;padding:1rem 1.1rem;border-radius:.75rem;border:2px dashed var(--accent);background:#fff}
.hub-reward.earned{border-style:solid;background:#fef3c7;border-color:#f59e0b}
.hub-reward .star{display:inline-flex;align-items:center;justify-content:center;width:1.6rem;height:1.6rem;margin-right:.45rem;border-radius:50%;background:#f59e0b;color:#fff;font-size:1rem;vertical-align:middle}.hub-reward p{margin:.2rem 0}.hub-reward .prize{font-size:1.15rem;font-weight:700}
@media(max-width:30rem){.hub-top,.hub-body{padding:1rem}.hub-main a.btn,.hub-main button.btn{flex:1 1 100%}.hub-more{grid-template-columns:1fr}}
`;

const SIZE_LABEL: Record<string, string> = {
  linkedin: `PNG · ${CARD_SIZES.linkedin.width} × ${CARD_SIZES.linkedin.height}`,
  square: `PNG · ${CARD_SIZES.square.width} × ${CARD_SIZES.square.height}`,
  story: `PNG · ${CARD_SIZES.story.width} × ${CARD_SIZES.story.height}`,
  pdf: "PDF · A4",
};

function Download(props: { file: ShareHubDownload; label: string; alt: string }) {
  const { file } = props;
  return (
    <li>
      <a href={file.href} download={file.filename} data-role={`download-${file.kind}`}>
        <span className="thumb" aria-hidden="true">
          {file.kind === "pdf" ? (
            <span className="doc">PDF</span>
          ) : (
            <img
              src={file.href}
              alt=""
              loading="lazy"
              width={CARD_SIZES[file.kind].width}
              height={CARD_SIZES[file.kind].height}
            />
          )}
        </span>
        <strong>{props.label}</strong>
        <span className="muted">{SIZE_LABEL[file.kind]}</span>
      </a>
    </li>
  );
}

/**
 * The published recap's share hub: every channel with its own tracked link, the downloads, and
 * what the sharing brought (people, signups, the reward). Without JavaScript the channels are
 * plain links and the post text and link stay in fields to copy by hand; the script
 * (share-hub-script.ts) adds copying and the phone's share sheet.
 */
export function ShareHub(props: { view: ShareHubView; lang: SupportedLocale; recapLocale: string }) {
  const { view, lang } = props;
  const hub = getTranslator(lang, "hub");
  const product = view.product;
  return (
    <section className="hub" aria-labelledby="hub-heading" data-share-hub="">
      <style>{HUB_CSS}</style>
      <script src={SHARE_HUB_SCRIPT_PATH} defer />
      <div className="hub-top">
        <h2 id="hub-heading">{hub("heading")}</h2>
        <p>{view.links ? hub("intro") : hub("noLinks")}</p>
      </div>
      <div className="hub-body">
        {view.links ? (
          <>
            <div className="hub-main">
              <a
                className="btn linkedin"
                href={view.links.linkedinUrl}
                target="_blank"
                rel="noopener noreferrer"
                data-role="linkedin"
                data-copy={view.postText}
                data-copied={hub("linkedin.copied")}
              >
                {hub("linkedin.button")}
              </a>
              <button
                type="button"
                className="btn"
                hidden
                data-role="native-share"
                data-share-file={view.cardFile?.href ?? ""}
                data-share-name={view.cardFile?.filename ?? ""}
                data-share-title={view.title}
                data-share-text={view.nativeText}
              >
                {hub("native")}
              </button>
            </div>
            <p className="hint">{hub("linkedin.hint")}</p>
            <div className="hub-more">
              <a className="btn" href={view.links.xUrl} target="_blank" rel="noopener noreferrer" data-role="x">
                {hub("x")}
              </a>
              <a className="btn" href={view.links.mailto} data-role="email">
                {hub("email.button")}
              </a>
              <button
                type="button"
                className="btn"
                hidden
                data-role="copy-link"
                data-copy={view.links.copyLink}
                data-copied={hub("copyLink.copied")}
              >
                {hub("copyLink.button")}
              </button>
              <button
                type="button"
                className="btn"
                hidden
                data-role="copy-post"
                data-copy={view.postText}
                data-copied={hub("copyPost.copied")}
              >
                {hub("copyPost.button")}
              </button>
            </div>
            <p className="hub-status" aria-live="polite" data-copy-status="" data-failed={hub("copyFailed")} />
            <label htmlFor="hub-post">{hub("postText")}</label>
            <textarea id="hub-post" readOnly rows={8} value={view.postText} lang={props.recapLocale} />
            <label htmlFor="hub-link">{hub("link")}</label>
            <input id="hub-link" type="text" readOnly value={view.links.copyLink} />
          </>
        ) : null}

        {view.downloads.length > 0 ? (
          <>
            <h3>{hub("downloads.heading")}</h3>
            <ul className="hub-files">
              {view.downloads.map((file) => (
                <Download key={file.kind} file={file} label={hub(`downloads.${file.kind}`)} alt="" />
              ))}
            </ul>
          </>
        ) : null}

        <h3>{hub("impact.heading")}</h3>
        <div className="hub-impact" data-role="impact">
          {view.people > 0 ? (
            <>
              <span className="big" data-people={view.people}>
                {formatNumber(view.people, lang)}
              </span>
              <p>{hub("impact.people", { count: view.people, product })}</p>
              {view.signups > 0 ? (
                <p className="signups" data-signups={view.signups}>
                  {hub("impact.signups", { count: view.signups })}
                </p>
              ) : null}
            </>
          ) : (
            <p className="none" data-people="0">
              {hub("impact.none", { product })}
            </p>
          )}
        </div>
        <p className="hint">{hub("impact.how")}</p>

        {view.reward ? (
          view.reward.earned ? (
            <div className="hub-reward earned" data-role="reward-earned">
              <p>
                <span className="star" aria-hidden="true">
                  ★
                </span>
                <strong>{hub("reward.earnedHeading")}</strong>
              </p>
              <p>{hub("reward.earned", { product })}</p>
              <p className="prize">{view.reward.text}</p>
              <p className="hint">{hub("reward.next", { product })}</p>
            </div>
          ) : (
            <div className="hub-reward" data-role="reward-offer">
              <p>{hub("reward.offer", { product })}</p>
              <p className="prize">{view.reward.text}</p>
            </div>
          )
        ) : null}
      </div>
    </section>
  );
}
