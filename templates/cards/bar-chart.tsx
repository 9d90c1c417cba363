import type { Measure, RecapModel } from "../model.js";
import { column, oneLine, row } from "./parts.js";

/**
 * The one chart: the lead metric week by week, as flex bars (no SVG maths, and satori draws them
 * crisply), over a time axis of month names. Each bar is as wide as the days it covers, so the
 * months line up with the bars; a week the period only partly covers is prorated to a full week
 * and drawn paler, and the legend says so. The best full week is in the accent colour and named in
 * the legend. No axis numbers: the cards never print a number that format.ts did not write.
 */
export function BarChart({
  model,
  height,
  fontSize,
  padding,
  legend = "below",
  measure,
  width,
}: {
  model: RecapModel;
  /**
   * With the font's measure and the panel's width (px), a year's months get their short names
   * ("tammi", "Jan") wherever every one of them fits under its bar; the narrow ones otherwise.
   */
  measure?: Measure;
  width?: number;
  /** Where the legend goes: under the axis (narrow panels), or beside the title (wide, short ones). */
  legend?: "below" | "side";
  /** The bars' minimum height; the panel grows into any room its parent leaves. */
  height: number;
  fontSize: number;
  padding: number;
}) {
  const { chart, colours, words } = model;
  if (!chart) return null;
  const top = Math.max(...chart.bars.map((bar) => bar.value), 0);
  const gap = Math.max(3, Math.round(height / 40));
  const small = fontSize * 0.78;
  const partial = chart.bars.some((bar) => bar.partial);
  const totalDays = chart.months.reduce((sum, month) => sum + month.days, 0);
  /** Whether `text` fits under a month of `days` with `slack` px to spare (always, with no measure). */
  const fits = (text: string, days: number, slack: number) =>
    measure === undefined ||
    width === undefined ||
    measure(text, 400) * small + small * 0.4 + 2 <= ((width - padding * 2) * days) / totalDays - slack;
  // Short names with some air between them, or none; a sliver of a month at a window's edge (two
  // days of October) has room for no name at all and shows only its tick.
  const shortFits =
    measure !== undefined &&
    width !== undefined &&
    chart.months.every((month) => month.days < 14 || fits(month.short, month.days, 10));
  const labels = chart.months.map((month) => {
    const text = shortFits ? month.short : month.label;
    return fits(text, month.days, 0) ? text : "";
  });
  const swatch = (colour: string, opacity = 1) => (
    <div
      style={{
        width: small * 0.8,
        height: small * 0.8,
        borderRadius: 2,
        backgroundColor: colour,
        opacity,
        flexShrink: 0,
      }}
    />
  );
  const legendBlock = (direction: "row" | "column") => (
    <div
      style={{
        ...(direction === "row" ? row : column),
        flexWrap: "wrap",
        columnGap: small * 1.2,
        rowGap: small * 0.3,
        flexShrink: direction === "row" ? 1 : 0,
        maxWidth: direction === "row" ? "100%" : "50%",
      }}
    >
      <div style={{ ...row, alignItems: "center", gap: small * 0.4, minWidth: 0 }}>
        {swatch(colours.barLead)}
        <span style={{ ...oneLine, fontSize: small, lineHeight: 1.3, color: colours.muted }}>{words.bestWeek}</span>
      </div>
      {partial ? (
        <div style={{ ...row, alignItems: "center", gap: small * 0.4, minWidth: 0 }}>
          {swatch(colours.bar, 0.45)}
          <span style={{ ...oneLine, fontSize: small, lineHeight: 1.3, color: colours.muted }}>
            {words.partialWeek}
          </span>
        </div>
      ) : null}
    </div>
  );
  return (
    <div
      style={{
        ...column,
        gap: fontSize * 0.7,
        padding,
        borderRadius: padding * 0.8,
        backgroundColor: colours.panel,
        flexGrow: 1,
        // Never squeezed below its own content: the legend and months stay inside the panel.
        flexShrink: 0,
        minWidth: 0,
      }}
    >
      <div style={{ ...row, gap: fontSize, alignItems: "flex-start" }}>
        <div style={{ ...column, gap: fontSize * 0.2, flexGrow: 1, flexBasis: 0, minWidth: 0 }}>
          <span style={{ ...oneLine, fontSize, lineHeight: 1.25, fontWeight: 800, color: colours.ink }}>
            {chart.title}
          </span>
          <span style={{ ...oneLine, fontSize: fontSize * 0.9, lineHeight: 1.25, color: colours.muted }}>
            {chart.caption}
          </span>
        </div>
        {legend === "side" ? legendBlock("column") : null}
      </div>
      <div style={{ ...column, flexGrow: 1, minHeight: height }}>
        <div
          style={{
            ...row,
            alignItems: "flex-end",
            gap,
            flexGrow: 1,
            borderBottom: `2px solid ${colours.rule}`,
          }}
        >
          {chart.bars.map((bar, index) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: weeks are positional and never reorder
              key={index}
              style={{
                flexGrow: bar.days,
                flexBasis: 0,
                // An empty week still shows as a sliver, so the weeks stay countable.
                height: `${top > 0 ? Math.max(3, (bar.value / top) * 100) : 3}%`,
                borderRadius: `${gap}px ${gap}px 0 0`,
                backgroundColor: bar.best ? colours.barLead : colours.bar,
                opacity: bar.partial ? 0.45 : 1,
              }}
            />
          ))}
        </div>
        <div style={{ ...row, marginTop: small * 0.4 }}>
          {chart.months.map((month, index) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: narrow month names repeat ("J", "J"); months never reorder
              key={index}
              style={{
                ...row,
                flexGrow: month.days,
                flexBasis: 0,
                minWidth: 0,
                borderLeft: `2px solid ${colours.rule}`,
              }}
            >
              <span
                style={{
                  whiteSpace: "nowrap",
                  fontSize: small,
                  lineHeight: 1.3,
                  color: colours.muted,
                  paddingLeft: small * 0.4,
                }}
              >
                {labels[index]}
              </span>
            </div>
          ))}
        </div>
      </div>
      {legend === "below" ? legendBlock("row") : null}
    </div>
  );
}
