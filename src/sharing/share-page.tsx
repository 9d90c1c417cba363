import type { CSSProperties, ReactNode } from "react";
import { SHARE_SCRIPT_PATH } from "./share-script.js";
import type { StoryView } from "./share-story.js";
import { STORY_CSS, storyFontFaces } from "./share-styles.js";
import type { StoryChart } from "./story-chart.js";
import type { SlideColours } from "./story-palette.js";

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
        {/* No favicon request (a 404 in every visitor's console): an empty icon. */}
        <link rel="icon" href="data:," />
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
        <style>{storyFontFaces() + STORY_CSS}</style>
        {props.script ? <script src={SHARE_SCRIPT_PATH} defer /> : null}
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** A slide's colours as custom properties; the stylesheet does the rest. */
function tone(colours: SlideColours): CSSProperties {
  return { "--bg": colours.background, "--ink": colours.ink, "--accent": colours.accent } as CSSProperties;
}

/** A big number sized to its length, so "4 977 €" and "1.284 Std." both fit a phone's width on one line. */
function fitted(value: string): CSSProperties {
  return { "--chars": String(Math.max(3, [...value].length)) } as CSSProperties;
}

function Slide(props: { id: string; kind: string; colours: SlideColours; label: string; children: ReactNode }) {
  return (
    <section
      className={`slide slide-${props.kind}`}
      id={props.id}
      style={tone(props.colours)}
      aria-label={props.label}
      data-slide=""
    >
      <div className="slide-inner">{props.children}</div>
    </section>
  );
}

function Chart(props: { data: StoryChart; alt: string }) {
  const { data } = props;
  const width = 640;
  const height = 360;
  const axis = 34;
  const gap = 6;
  const step = width / data.bars.length;
  const barWidth = Math.max(4, step - gap);
  const scale = (height - axis - 40) / (data.max || 1);
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.alt}>
      {data.bars.map((bar, index) => {
        const h = Math.max(3, bar.value * scale);
        const x = index * step + gap / 2;
        const y = height - axis - h;
        return (
          <g key={String(index)}>
            <rect
              x={x}
              y={y}
              width={barWidth}
              height={h}
              rx={Math.min(6, barWidth / 3)}
              className={bar.best ? "bar best" : bar.partial ? "bar partial" : "bar"}
            />
            {bar.monthLabel ? (
              <text x={x} y={height - 8} className="month">
                {bar.monthLabel}
              </text>
            ) : null}
          </g>
        );
      })}
      <line x1={0} x2={width} y1={height - axis} y2={height - axis} className="axis" />
    </svg>
  );
}

/**
 * The visitor's story. Without JavaScript it is a column of full-height sections to scroll
 * through; the script (share-script.ts) turns the same sections into a story paged by tap,
 * swipe and keys. Nothing here belongs to the sharer: copying, e-mailing and the share buttons
 * live on the customer's own page.
 */
export function StoryPage(props: { view: StoryView }) {
  const { view } = props;
  const { palette } = view;
  const slides: { kind: string; colours: SlideColours; body: ReactNode }[] = [];
  slides.push({
    kind: "opening",
    colours: palette.opening,
    body: (
      <>
        <p className="kicker">{view.opening.kicker}</p>
        {view.opening.account ? <p className="account">{view.opening.account}</p> : null}
        <h1 className="headline pop">{view.opening.headline}</h1>
        <p className="lead">{view.opening.subheadline}</p>
      </>
    ),
  });
  if (view.hero)
    slides.push({
      kind: "number",
      colours: palette.number,
      body: (
        <>
          <p className="kicker">{view.hero.kicker}</p>
          <p className="hero pop" style={fitted(view.hero.value)} data-fact={view.hero.id}>
            {view.hero.value}
          </p>
          <p className="hero-label">{view.hero.label}</p>
          {view.hero.change ? <p className="change">{view.hero.change}</p> : null}
          {view.supporting.length > 0 ? (
            <ul className="supporting">
              {view.supporting.map((number) => (
                <li key={number.id} data-fact={number.id}>
                  <strong>{number.value}</strong>
                  <span>{number.label}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ),
    });
  if (view.chart)
    slides.push({
      kind: "chart",
      colours: palette.chart,
      body: (
        <>
          <p className="kicker">{view.chart.kicker}</p>
          <h2 className="title">{view.chart.caption}</h2>
          <p className="best pop">{view.chart.best}</p>
          <Chart data={view.chart.data} alt={view.chart.alt} />
          {view.chart.partialNote ? <p className="note">{view.chart.partialNote}</p> : null}
        </>
      ),
    });
  slides.push({
    kind: "identity",
    colours: palette.identity,
    body: (
      <>
        {view.rank ? (
          <>
            <p className="kicker">{view.rank.kicker}</p>
            <p className="rank pop">{view.rank.text}</p>
            {view.rank.detail ? <p className="lead">{view.rank.detail}</p> : null}
          </>
        ) : null}
        <p className="kicker">{view.archetype.kicker}</p>
        <p className={view.rank ? "archetype small" : "archetype pop"}>{view.archetype.name}</p>
        {view.archetype.tagline ? <p className="lead">{view.archetype.tagline}</p> : null}
      </>
    ),
  });
  slides.push({
    kind: "product",
    colours: palette.product,
    body: (
      <>
        <h2 className="kicker">{view.product.kicker}</h2>
        <p className="tagline pop">{view.product.tagline}</p>
        {view.product.description ? <p className="lead">{view.product.description}</p> : null}
        {view.product.website ? (
          <a className="website" href={view.product.website.href} rel="noopener" data-role="website">
            {view.product.website.label}
            {"\u00a0→"}
          </a>
        ) : null}
      </>
    ),
  });
  slides.push({
    kind: "cta",
    colours: palette.cta,
    body: (
      <>
        <p className="kicker">{view.cta.kicker}</p>
        {view.cta.cardUrl ? (
          <img className="card" src={view.cta.cardUrl} alt={view.cta.cardAlt} width={1200} height={627} />
        ) : null}
        <a className="cta" href={view.cta.href} data-role="cta">
          {view.cta.text}
        </a>
        <p className="note">{view.cta.transparency}</p>
      </>
    ),
  });
  const total = slides.length;
  const label = (index: number) =>
    view.nav.slide.replace("{current}", String(index + 1)).replace("{total}", String(total));
  return (
    <main className="story" id="story" aria-label={view.nav.label} data-slide-label={view.nav.slide}>
      <div className="progress" aria-hidden="true" hidden>
        {slides.map((slide) => (
          <span key={slide.kind} />
        ))}
      </div>
      {slides.map((slide, index) => (
        <Slide
          key={slide.kind}
          id={`slide-${index + 1}`}
          kind={slide.kind}
          colours={slide.colours}
          label={label(index)}
        >
          {slide.body}
        </Slide>
      ))}
      <nav className="controls" aria-label={view.nav.label} hidden>
        <button type="button" data-story="previous" aria-label={view.nav.previous}>
          ←
        </button>
        <p className="hint">{view.nav.hint}</p>
        <button type="button" data-story="next" aria-label={view.nav.next}>
          →
        </button>
      </nav>
      <p className="sr-only" aria-live="polite" data-story-status="" />
    </main>
  );
}

/** The 404 and 410 pages: in the visitor's language, with the tenant's website where it is known. */
export function MessagePage(props: { title: string; text: string; website: { href: string; label: string } | null }) {
  return (
    <main className="message">
      <div className="slide-inner">
        <h1 className="headline">{props.title}</h1>
        <p className="lead">{props.text}</p>
        {props.website ? (
          <a className="cta" href={props.website.href} rel="noopener" data-role="website">
            {props.website.label}
          </a>
        ) : null}
      </div>
    </main>
  );
}
