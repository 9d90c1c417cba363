import type { CSSProperties, ReactNode } from "react";
import { logoBox } from "../logo.js";
import type { NumberModel, RecapModel } from "../model.js";
import type { Palette } from "../theme.js";

/**
 * The pieces the three cards share. Layout is flexbox only (no grid, no floats), and every box that
 * holds more than one child says `display: flex` explicitly; single text boxes are `display: block`,
 * the one display satori applies `textOverflow: ellipsis` and `lineClamp` to.
 */
export const row: CSSProperties = { display: "flex", flexDirection: "row" };
export const column: CSSProperties = { display: "flex", flexDirection: "column" };

/** One line, cut with an ellipsis: for names that can be any length. */
export const oneLine: CSSProperties = {
  display: "block",
  whiteSpace: "nowrap",
  overflow: "hidden",
  textOverflow: "ellipsis",
};

/** At most `lines` lines, the last one ending in an ellipsis when the text is longer. */
export function clamp(lines: number): CSSProperties {
  return { display: "block", lineClamp: lines, overflow: "hidden" } as CSSProperties;
}

/**
 * Upper case in the recap's language, done here rather than with `textTransform`: satori 0.63
 * threw a RangeError from its own toLocaleUpperCase for German cards.
 */
export function upper(text: string, model: RecapModel): string {
  return text.toLocaleUpperCase(model.locale);
}

/**
 * A change for the worse is stated plainly in the neutral colour (only variant A shows one at
 * all): the card is something a team posts, not a warning light.
 */
const VERDICT_COLOUR = { better: "better", worse: "neutral", neutral: "neutral" } as const;

/** A filled triangle pointing the way the number moved; a bar for no change. */
export function Arrow({
  direction,
  colour,
  size,
}: {
  direction: "up" | "down" | "flat";
  colour: string;
  size: number;
}) {
  const path =
    direction === "up"
      ? "M5 1 L9.5 9 L0.5 9 Z"
      : direction === "down"
        ? "M0.5 1 L9.5 1 L5 9 Z"
        : "M1 4 L9 4 L9 6 L1 6 Z";
  return (
    <svg aria-hidden="true" width={size} height={size} viewBox="0 0 10 10" style={{ flexShrink: 0 }}>
      <path d={path} fill={colour} />
    </svg>
  );
}

/**
 * "▲ +12 % vs. last quarter". Green only when the change is good news (`improved`), grey when it
 * is not, whatever the direction: a fall in errors is green, a fall in hours saved is not.
 */
export function ChangeCue({
  change,
  colours,
  versus,
  size,
}: {
  change: NonNullable<NumberModel["change"]>;
  colours: Palette;
  versus: string | null;
  size: number;
}) {
  const colour = colours[VERDICT_COLOUR[change.verdict]];
  return (
    <div style={{ ...row, alignItems: "center", gap: size * 0.35, fontSize: size, lineHeight: 1.2 }}>
      <Arrow direction={change.direction} colour={colour} size={size * 0.62} />
      <span style={{ color: colour, fontWeight: 800 }}>{change.text}</span>
      {versus ? <span style={{ ...oneLine, color: colours.muted, fontWeight: 400 }}>{versus}</span> : null}
    </div>
  );
}

/** The tenant's logo (on a light plate where the theme is dark) and the product name. */
export function BrandMark({ model, height, fontSize }: { model: RecapModel; height: number; fontSize: number }) {
  const { colours, logo } = model;
  const box = logo ? logoBox(logo, height, height * 4) : null;
  const pad = colours.logoPlate ? Math.round(height * 0.18) : 0;
  return (
    <div style={{ ...row, alignItems: "center", gap: Math.round(height * 0.35), minWidth: 0, flexShrink: 1 }}>
      {logo && box ? (
        <div
          style={{
            display: "flex",
            padding: pad,
            borderRadius: pad ? Math.round(height * 0.22) : 0,
            backgroundColor: pad ? "#ffffff" : "transparent",
            flexShrink: 0,
          }}
        >
          <img src={logo.src} width={box.width} height={box.height} style={{ objectFit: "contain" }} alt="" />
        </div>
      ) : null}
      <span style={{ ...oneLine, fontSize, fontWeight: 800, color: colours.ink, letterSpacing: -0.2 }}>
        {model.product}
      </span>
    </div>
  );
}

/** "QUARTERLY RECAP · Q3 2026", the card's small-caps kicker. */
export function Kicker({ model, fontSize }: { model: RecapModel; fontSize: number }) {
  return (
    <span
      style={{
        ...oneLine,
        flexShrink: 0,
        fontSize,
        fontWeight: 600,
        letterSpacing: fontSize * 0.08,
        color: model.colours.muted,
      }}
    >
      {upper(`${model.words.kicker} · ${model.period}`, model)}
    </span>
  );
}

/** The team archetype as a badge: a small label over the name, on the brand's accent. */
export function ArchetypeBadge({ model, fontSize }: { model: RecapModel; fontSize: number }) {
  const { colours, archetype } = model;
  return (
    <div
      style={{
        ...column,
        alignSelf: "flex-start",
        maxWidth: "100%",
        padding: `${fontSize * 0.45}px ${fontSize * 0.8}px`,
        borderRadius: fontSize * 0.6,
        backgroundColor: colours.accent,
        color: colours.onAccent,
      }}
    >
      <span
        style={{ ...oneLine, fontSize: fontSize * 0.6, fontWeight: 600, letterSpacing: fontSize * 0.05, opacity: 0.85 }}
      >
        {upper(archetype.label, model)}
      </span>
      <span style={{ ...oneLine, fontSize, fontWeight: 800, lineHeight: 1.25 }}>{archetype.name}</span>
    </div>
  );
}

/** The highlights as a list with brand-coloured markers, each clamped to `lines` lines. */
export function Highlights({
  model,
  fontSize,
  lines,
  gap,
}: {
  model: RecapModel;
  fontSize: number;
  lines: number;
  gap: number;
}) {
  if (model.cardHighlights.length === 0) return null;
  return (
    <div style={{ ...column, gap }}>
      {model.cardHighlights.map((text) => (
        <div key={text} style={{ ...row, gap: fontSize * 0.7, alignItems: "flex-start" }}>
          <div
            style={{
              width: fontSize * 0.3,
              height: fontSize * 1.1,
              marginTop: fontSize * 0.2,
              borderRadius: fontSize * 0.15,
              backgroundColor: model.colours.accent,
              flexShrink: 0,
            }}
          />
          <span style={{ ...clamp(lines), fontSize, lineHeight: 1.4, color: model.colours.ink }}>{text}</span>
        </div>
      ))}
    </div>
  );
}

/** The transparency note: small, muted, never more than `lines` lines. */
export function Footnote({ model, fontSize, lines = 1 }: { model: RecapModel; fontSize: number; lines?: number }) {
  return (
    <span style={{ ...(lines === 1 ? oneLine : clamp(lines)), fontSize, lineHeight: 1.4, color: model.colours.muted }}>
      {model.transparency}
    </span>
  );
}

/** The card's background: flat in the classic theme, with a brand glow in the bold one. */
export function Canvas({
  model,
  width,
  height,
  padding,
  children,
}: {
  model: RecapModel;
  width: number;
  height: number;
  padding: string;
  children: ReactNode;
}) {
  const { colours } = model;
  return (
    <div
      style={{
        ...column,
        boxSizing: "border-box",
        width,
        height,
        padding,
        fontFamily: "Inter",
        color: colours.ink,
        backgroundColor: colours.background,
        ...(colours.glow ? { backgroundImage: colours.glow } : {}),
      }}
    >
      {children}
    </div>
  );
}
