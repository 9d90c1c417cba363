import type { ReactElement, ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";

/** Server-rendered HTML with no front-end build: React components to a full document. */
export function renderPage(page: ReactElement): string {
  return `<!doctype html>${renderToStaticMarkup(page)}`;
}

const BASE_CSS = `
:root{--ink:#1f2a44;--muted:#5b6478;--line:#d9dce3;--accent:#c2410c;--bg:#fbf8f3;--ok:#166534;--bad:#b91c1c}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:72rem;margin:0 auto;padding:2rem 1.25rem}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;align-items:center;padding:.75rem 1.25rem;border-bottom:1px solid var(--line);background:#fff}
a{color:var(--ink)}h1{font-size:1.6rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=email],input[type=password],input[type=text],textarea{width:100%;padding:.6rem .7rem;border:1px solid var(--line);border-radius:.4rem;font:inherit;background:#fff}
input:focus-visible,button:focus-visible,a:focus-visible,textarea:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:.4rem;border:1px solid var(--ink);background:var(--ink);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--ink)}
.card{background:#fff;border:1px solid var(--line);border-radius:.75rem;padding:1.5rem}
.narrow{max-width:26rem;margin:4rem auto}
.error{color:var(--bad);background:#fef2f2;border:1px solid #fecaca;border-radius:.4rem;padding:.6rem .8rem}
.muted{color:var(--muted)}
.skip{position:absolute;left:-999px;top:.5rem;background:#fff;padding:.5rem .8rem;border:2px solid #2563eb;z-index:10}.skip:focus{left:.5rem}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
main:focus{outline:none}select,input[type=number]{font:inherit;padding:.6rem .7rem;border:1px solid var(--line);border-radius:.4rem;background:#fff}
select:focus-visible,input:focus-visible,summary:focus-visible,mark:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
input[type=checkbox]{width:1.15rem;height:1.15rem;vertical-align:middle}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted)}caption{text-align:left;font-weight:600;padding:.4rem 0}
.badge{display:inline-block;font-size:.8rem;font-weight:600;padding:.1rem .5rem;border-radius:1rem;border:1px solid var(--line);background:#fff}
.badge.flag{background:#fef3c7;border-color:#f59e0b;color:#78350f}.badge.state{background:#eef2ff;border-color:#c7d2fe}
.status{color:var(--ok);background:#f0fdf4;border:1px solid #bbf7d0;border-radius:.4rem;padding:.6rem .8rem}
.tabs{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:0 0 1rem}.tabs a{display:block;padding:.35rem .7rem;border:1px solid var(--line);border-radius:.4rem;background:#fff;text-decoration:none}
.tabs a[aria-current=page]{background:var(--ink);color:#fff}.tabs a[aria-current=page] .muted{color:#e5e7eb}
button:disabled{opacity:.55;cursor:not-allowed}.sticky{position:sticky;top:1rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin-bottom:1rem}.filters label{margin:0 0 .2rem;font-size:.9rem}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.5rem;align-items:start}@media(max-width:60rem){.grid2{grid-template-columns:1fr}}
.preview img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:.5rem;background:#fff}
section{margin:2rem 0}h2{font-size:1.25rem;margin:0 0 .75rem}h3{font-size:1.05rem;margin:1rem 0 .5rem}
.hint{font-size:.85rem;color:var(--muted);margin:.2rem 0}.field-error{color:var(--bad);font-weight:600;font-size:.9rem;margin:.2rem 0}
[aria-invalid=true]{border-color:var(--bad)!important;border-width:2px!important}
mark.num{background:#dcfce7;border-bottom:2px solid var(--ok);padding:0 .1rem;color:inherit}mark.num.bad{background:#fee2e2;border-bottom:2px dashed var(--bad);color:var(--bad)}
.numbers{background:#fff;border:1px dashed var(--line);border-radius:.4rem;padding:.4rem .6rem;font-size:.9rem;margin:.3rem 0 0}
.actions form{margin-bottom:1rem}button.danger{background:var(--bad);border-color:var(--bad)}dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.langs ul{display:flex;flex-wrap:wrap;gap:.25rem .8rem;list-style:none;margin:0;padding:0}.langs a{display:inline-block;padding:.2rem 0}.langs a[aria-current]{font-weight:700;text-decoration:none}
.content-lang{font-size:.9rem;color:var(--muted);margin:-.5rem 0 1rem}h1{overflow-wrap:anywhere}
`;

export function Layout(props: {
  title: string;
  lang?: string;
  children: ReactNode;
  header?: ReactNode;
  /** Search engines must not index private pages (preview links). */
  noindex?: boolean;
  /** Same-origin script files only (the CSP allows 'self', no inline scripts). */
  scripts?: string[];
  /** The skip link's text in the page's language. */
  skipLabel?: string;
}) {
  return (
    <html lang={props.lang ?? "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Outcome Recap`}</title>
        {props.noindex ? <meta name="robots" content="noindex, nofollow" /> : null}
        <style>{BASE_CSS}</style>
        {props.scripts?.map((src) => (
          <script key={src} src={src} defer />
        ))}
      </head>
      <body>
        <a className="skip" href="#main">
          {props.skipLabel ?? "Skip to content"}
        </a>
        {props.header}
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
