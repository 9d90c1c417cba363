import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * The story's type: Inter, the cards' own font, served same-origin (CSP `font-src 'self'`) so
 * the page and the card image read as one design, whatever fonts the visitor's device has.
 */
const FONT_WEIGHTS = [400, 800] as const;
const FONT_SUBSETS = {
  latin:
    "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
  "latin-ext":
    "U+0100-02AF,U+0304,U+0308,U+0329,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF",
} as const;

export const STORY_FONT_PREFIX = "/sharing/fonts/";

/** "inter-latin-800.woff2" → the file's bytes, for the few files the story uses; anything else: null. */
const fontFiles = new Map<string, string>(
  Object.keys(FONT_SUBSETS).flatMap((subset) =>
    FONT_WEIGHTS.map((weight) => [
      `inter-${subset}-${weight}.woff2`,
      `@fontsource/inter/files/inter-${subset}-${weight}-normal.woff2`,
    ]),
  ),
);
const loaded = new Map<string, Buffer>();
const require = createRequire(import.meta.url);

export function storyFont(name: string): Buffer | null {
  const module = fontFiles.get(name);
  if (!module) return null;
  let bytes = loaded.get(name);
  if (!bytes) {
    bytes = readFileSync(require.resolve(module));
    loaded.set(name, bytes);
  }
  return bytes;
}

export function storyFontFaces(): string {
  return Object.entries(FONT_SUBSETS)
    .flatMap(([subset, range]) =>
      FONT_WEIGHTS.map(
        (weight) =>
          `@font-face{font-family:"Story Inter";font-style:normal;font-weight:${weight};font-display:swap;src:url(${STORY_FONT_PREFIX}inter-${subset}-${weight}.woff2) format("woff2");unicode-range:${range}}`,
      ),
    )
    .join("");
}

/**
 * One idea per slide, in large tight type on a loud field. Without the script the slides are
 * full-height sections one under the other; `html.story-on` (set by the script) stacks them in
 * one screen and shows one at a time. `prefers-reduced-motion` turns every movement off.
 */
export const STORY_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:400 17px/1.45 "Story Inter",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#0b1026;color:#fff}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.slide,.message{min-height:100vh;min-height:100svh;display:flex;flex-direction:column;justify-content:center;padding:4.5rem 1.5rem 5.5rem;background:var(--bg,#0b1026);color:var(--ink,#fff)}
.slide-opening{background:radial-gradient(90% 60% at 100% 0%,color-mix(in srgb,var(--accent) 38%,transparent),transparent 70%),var(--bg)}
.slide-cta{background:radial-gradient(80% 55% at 0% 100%,color-mix(in srgb,var(--accent) 26%,transparent),transparent 70%),var(--bg)}
.slide-inner{width:100%;max-width:46rem;margin:0 auto;overflow-wrap:break-word}
.kicker{margin:0 0 .9rem;font-size:.85rem;font-weight:800;letter-spacing:.12em;text-transform:uppercase;color:var(--accent,#c6f432)}
.account{margin:0;font-size:1.25rem;font-weight:800}
.headline{margin:.35em 0 .45em;font-size:clamp(2.4rem,10vw,4.8rem);line-height:1.04;font-weight:800;letter-spacing:-.035em;hyphens:auto}
.lead{margin:.6rem 0 0;font-size:clamp(1.1rem,3.4vw,1.45rem);line-height:1.4;max-width:38rem}
.hero{margin:0;font-weight:800;line-height:.95;letter-spacing:-.05em;white-space:nowrap;font-size:min(11rem,calc(min(100vw - 3rem,46rem) / (var(--chars) * .6)))}
.hero-label{margin:.6rem 0 0;font-size:clamp(1.35rem,5vw,2.2rem);font-weight:800;line-height:1.15;letter-spacing:-.02em}
.change{display:inline-block;margin:1rem 0 0;padding:.35rem .8rem;border-radius:999px;background:var(--ink);color:var(--bg);font-weight:800}
.supporting{list-style:none;padding:0;margin:2.2rem 0 0;display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem}
.supporting li{border-top:3px solid currentColor;padding-top:.7rem}
.supporting strong{display:block;font-size:clamp(1.8rem,7vw,2.6rem);font-weight:800;letter-spacing:-.03em;line-height:1.1;white-space:nowrap}
.supporting span{display:block;font-size:1rem;line-height:1.35}
.title{margin:0;font-size:clamp(1.6rem,5.6vw,2.6rem);font-weight:800;line-height:1.1;letter-spacing:-.025em}
.best{margin:.5rem 0 1.2rem;font-size:clamp(1.25rem,4.5vw,1.8rem);font-weight:800;color:var(--accent)}
.chart{display:block;width:100%;height:auto}
.chart .bar{fill:currentColor;opacity:.55}
.chart .bar.partial{opacity:.22}
.chart .bar.best{fill:var(--accent);opacity:1}
.chart .axis{stroke:currentColor;stroke-width:2;opacity:.5}
.chart .month{fill:currentColor;font-size:20px;font-weight:800;opacity:.85}
.note{margin:1rem 0 0;font-size:.9rem;line-height:1.4;opacity:.85}
.rank{margin:0 0 1.2rem;font-size:clamp(2.2rem,8.6vw,4.6rem);font-weight:800;line-height:1.04;letter-spacing:-.035em;hyphens:auto}
.archetype{margin:0;font-size:clamp(2.6rem,11vw,6rem);font-weight:800;line-height:1;letter-spacing:-.045em;hyphens:auto}
.archetype.small{font-size:clamp(2rem,7vw,3.4rem)}
.slide-identity .rank~.kicker{margin-top:2.6rem}
.tagline{margin:0;font-size:clamp(1.9rem,6.6vw,3.6rem);font-weight:800;line-height:1.08;letter-spacing:-.03em}
.tagline+.lead{margin-top:1.2rem}
.website{display:inline-block;margin-top:1.6rem;color:inherit;font-weight:800;font-size:1.15rem;text-underline-offset:.25em}
.card{display:block;width:100%;height:auto;margin:0 0 1.6rem;border-radius:.9rem;box-shadow:0 1.2rem 3rem rgba(0,0,0,.45);transform:rotate(-1.5deg)}
.cta{display:inline-block;padding:1rem 1.6rem;border-radius:999px;background:var(--accent,#c6f432);color:var(--bg,#0b1026);font-weight:800;font-size:1.2rem;line-height:1.2;text-decoration:none}
.message .cta{margin-top:1.6rem}
a:focus-visible,button:focus-visible{outline:3px solid var(--accent,#c6f432);outline-offset:3px}
.progress,.controls{display:none}
html.story-on,html.story-on body{height:100%;overflow:hidden}
html.story-on .story{position:fixed;inset:0;overflow:hidden;touch-action:pan-y}
html.story-on .slide{position:absolute;inset:0;min-height:0;overflow-y:auto;touch-action:pan-y;justify-content:safe center;opacity:0;visibility:hidden;transform:translateX(6%);transition:opacity .35s ease,transform .35s ease,visibility 0s linear .35s}
html.story-on .slide.is-before{transform:translateX(-6%)}
html.story-on .slide.is-current{opacity:1;visibility:visible;transform:none;transition:opacity .35s ease,transform .35s ease}
html.story-on .slide.is-current .pop{animation:pop .6s cubic-bezier(.2,.9,.3,1.15) both}
@keyframes pop{from{opacity:0;transform:translateY(.6em) scale(.92)}to{opacity:1;transform:none}}
html.story-on .progress{display:flex;gap:.35rem;position:absolute;top:.9rem;left:1rem;right:1rem;z-index:2}
.progress span{flex:1;height:4px;border-radius:2px;background:var(--now-ink,#fff);opacity:.3}
.progress span.done{opacity:1}
html.story-on .controls{display:flex;align-items:center;justify-content:space-between;gap:1rem;position:absolute;left:0;right:0;bottom:0;padding:.8rem 1rem calc(.8rem + env(safe-area-inset-bottom));z-index:2;pointer-events:none}
.controls button{pointer-events:auto;flex:none;width:3rem;height:3rem;border-radius:50%;border:0;background:var(--now-ink,#fff);color:var(--now-bg,#11141c);font:800 1.3rem/1 "Story Inter",system-ui,sans-serif;cursor:pointer;box-shadow:0 .3rem 1rem rgba(0,0,0,.25)}
.controls button:disabled{opacity:.35;cursor:default}
.hint{margin:0;font-size:.8rem;line-height:1.3;color:var(--now-ink,#fff);opacity:.8;text-align:center}
@media (min-width:900px){.slide{padding:5rem 3rem 6rem}.card{max-width:40rem}}
@media (prefers-reduced-motion:reduce){
  html.story-on .slide,html.story-on .slide.is-before,html.story-on .slide.is-current{transition:none;transform:none}
  html.story-on .slide.is-current .pop{animation:none}
  .card{transform:none}
}
`;
