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
header.top{display:flex;justify-content:space-between;align-items:center;padding:.75rem 1.25rem;border-bottom:1px solid var(--line);background:#fff}
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
`;

export function Layout(props: { title: string; lang?: string; children: ReactNode; header?: ReactNode }) {
  return (
    <html lang={props.lang ?? "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Outcome Recap`}</title>
        <style>{BASE_CSS}</style>
      </head>
      <body>
        {props.header}
        <main>{props.children}</main>
      </body>
    </html>
  );
}
