import { fitRow, lineCount } from "../fit.js";
import type { Measure, NumberModel, RecapModel } from "../model.js";
import { ChangeCue, clamp, column, oneLine, row } from "./parts.js";

/**
 * The three (or two, or one) headline numbers. All values in a row share one size, the largest at
 * which the widest of them still fits its column, so "12 840 000 €" beside "312" neither overflows
 * nor makes the row look uneven; with fewer facts the columns widen and the numbers grow. A tile
 * as wide as the whole block puts its change cue and peer band on one line.
 */
export type NumbersLayout = {
  width: number;
  gap: number;
  valueMax: number;
  valueMin: number;
  caption: number;
  cue: number;
  /** Lines a caption may take before its ellipsis. */
  captionLines: number;
  /**
   * "row": side by side. "hero": the lead number alone on its first row at up to `heroMax`, the
   * others side by side under it, for the tall story card. "lead": side by side, the lead number
   * in a wider column at up to `heroMax`, the others smaller (the wide LinkedIn card).
   */
  direction: "row" | "hero" | "lead";
  heroMax?: number;
};

/** The peer band ("Top 10 % of similar teams") behind a small star in the accent colour. */
function Band({ text, model, size }: { text: string; model: RecapModel; size: number }) {
  return (
    <div style={{ ...row, alignItems: "flex-start", gap: size * 0.4, maxWidth: "100%" }}>
      <svg
        aria-hidden="true"
        width={size}
        height={size}
        viewBox="0 0 24 24"
        style={{ flexShrink: 0, marginTop: size * 0.12 }}
      >
        <path d="M12 2l2.9 6.6 7.1.7-5.4 4.8 1.6 7L12 17.5 5.8 21.1l1.6-7L2 9.3l7.1-.7z" fill={model.colours.accent} />
      </svg>
      <span style={{ ...clamp(2), fontSize: size, lineHeight: 1.3, fontWeight: 600, color: model.colours.ink }}>
        {text}
      </span>
    </div>
  );
}

/** The padding of the hero number's colour block (classic), 0 where the theme draws none (bold). */
function heroPad(model: RecapModel, layout: NumbersLayout): number {
  return model.colours.heroFill ? Math.round(layout.caption * (layout.direction === "lead" ? 1.1 : 1.2)) : 0;
}

/**
 * The lead number on the brand's colour block (classic), every text on it in the block's own
 * readable colours; in bold the lead tile is drawn like the others, only larger.
 */
function HeroTile(props: {
  entry: NumberModel;
  model: RecapModel;
  layout: NumbersLayout;
  size: number;
  width: number;
}) {
  const { model, layout, width } = props;
  const { colours } = model;
  const pad = heroPad(model, layout);
  if (!colours.heroFill) return <Tile {...props} captionRows={1} />;
  const onBlock = {
    ...colours,
    primary: colours.onHero,
    ink: colours.onHero,
    muted: colours.onHeroMuted,
    better: colours.onHero,
    neutral: colours.onHeroMuted,
    accent: colours.onHero,
  };
  return (
    <div
      style={{
        ...column,
        boxSizing: "border-box",
        width,
        padding: pad,
        paddingTop: pad * 0.8,
        borderRadius: pad * 0.8,
        backgroundColor: colours.heroFill,
      }}
    >
      <Tile {...props} model={{ ...model, colours: onBlock }} width={width - pad * 2} captionRows={1} />
    </div>
  );
}

function Tile({
  entry,
  model,
  layout,
  size,
  width,
  captionRows,
}: {
  entry: NumberModel;
  model: RecapModel;
  layout: NumbersLayout;
  size: number;
  width: number;
  /** Lines every caption in this row is given, so the cues under them line up. */
  captionRows: number;
}) {
  const { colours } = model;
  const stacked = width >= layout.width - heroPad(model, layout) * 2;
  const cue = entry.change ? (
    <ChangeCue
      change={entry.change}
      colours={colours}
      versus={stacked || width > layout.cue * 16 ? model.words.versus : null}
      size={layout.cue}
    />
  ) : null;
  const band = entry.band ? <Band text={entry.band} model={model} size={layout.cue * 0.92} /> : null;
  return (
    <div style={{ ...column, width, gap: layout.caption * 0.45, minWidth: 0 }}>
      <div
        style={{
          width: layout.caption * 2.2,
          height: Math.max(3, Math.round(layout.caption * 0.22)),
          backgroundColor: colours.accent,
          borderRadius: 2,
        }}
      />
      <span
        style={{
          ...oneLine,
          fontSize: size,
          fontWeight: 800,
          lineHeight: 1.05,
          letterSpacing: -size * 0.03,
          color: colours.primary,
          paddingTop: layout.caption * 0.2,
          // Inside the clip: the descender of "," and "." under a tight line height.
          paddingBottom: size * 0.1,
        }}
      >
        {entry.value}
      </span>
      <span
        style={{
          ...clamp(layout.captionLines),
          minHeight: Math.ceil(layout.caption * 1.3) * captionRows,
          fontSize: layout.caption,
          lineHeight: 1.3,
          color: colours.ink,
          fontWeight: 600,
        }}
      >
        {entry.caption}
      </span>
      {stacked ? (
        <div style={{ ...row, alignItems: "center", gap: layout.cue, flexWrap: "wrap" }}>
          {cue}
          {band}
        </div>
      ) : (
        <>
          {cue}
          {band}
        </>
      )}
    </div>
  );
}

export function Numbers({ model, measure, layout }: { model: RecapModel; measure: Measure; layout: NumbersLayout }) {
  const [lead, ...rest] = model.numbers;
  if (!lead) return null;
  if (layout.direction === "hero" && rest.length > 0) {
    const size = fitRow(measure, [lead.value], {
      weight: 800,
      max: layout.heroMax ?? layout.valueMax,
      min: layout.valueMin,
      width: layout.width - heroPad(model, layout) * 2,
    });
    return (
      <div style={{ ...column, gap: layout.gap, width: layout.width }}>
        <HeroTile entry={lead} model={model} layout={layout} size={size} width={layout.width} />
        <NumberRow
          entries={rest}
          model={model}
          measure={measure}
          // A lone second number stays a supporting one, never as big as the hero.
          layout={{ ...layout, heroMax: undefined, valueMax: Math.min(layout.valueMax, Math.round(size * 0.62)) }}
        />
      </div>
    );
  }
  if (layout.direction === "lead" && rest.length > 0) {
    const leadWidth = Math.round((layout.width - layout.gap) * 0.46);
    const size = fitRow(measure, [lead.value], {
      weight: 800,
      max: layout.heroMax ?? layout.valueMax,
      min: layout.valueMin,
      width: leadWidth - heroPad(model, layout) * 2,
    });
    return (
      <div style={{ ...row, gap: layout.gap, width: layout.width, alignItems: "flex-end" }}>
        <HeroTile entry={lead} model={model} layout={layout} size={size} width={leadWidth} />
        <NumberRow
          entries={rest}
          model={model}
          measure={measure}
          // The others stay clearly smaller than the lead, however short they are: one hero per card.
          layout={{
            ...layout,
            width: layout.width - leadWidth - layout.gap,
            valueMax: Math.min(layout.valueMax, Math.round(size * 0.62)),
            valueMin: Math.min(layout.valueMin, Math.round(size * 0.62)),
          }}
        />
      </div>
    );
  }
  return <NumberRow entries={model.numbers} model={model} measure={measure} layout={layout} />;
}

function NumberRow({
  entries,
  model,
  measure,
  layout,
}: {
  entries: NumberModel[];
  model: RecapModel;
  measure: Measure;
  layout: NumbersLayout;
}) {
  const count = entries.length;
  const width = Math.floor((layout.width - layout.gap * (count - 1)) / count);
  const size = fitRow(
    measure,
    entries.map((entry) => entry.value),
    {
      weight: 800,
      max: count === 1 ? (layout.heroMax ?? layout.valueMax) : layout.valueMax,
      min: layout.valueMin,
      width,
    },
  );
  const captionRows = Math.min(
    layout.captionLines,
    Math.max(...entries.map((entry) => lineCount(measure, entry.caption, 600, layout.caption, width, 1))),
  );
  return (
    <div style={{ ...row, gap: layout.gap, width: layout.width }}>
      {entries.map((entry) => (
        <Tile
          key={entry.id}
          entry={entry}
          model={model}
          layout={layout}
          size={size}
          width={width}
          captionRows={captionRows}
        />
      ))}
    </div>
  );
}
