import type { RecapModel } from "../model.js";
import { column, oneLine, row } from "./parts.js";

/**
 * The one chart: the lead metric week by week, as flex bars (no SVG maths, and satori draws them
 * crisply). The best week is drawn in the accent colour; no axis numbers, because the cards never
 * print a number that format.ts did not write.
 */
export function BarChart({
  model,
  height,
  fontSize,
  padding,
}: {
  model: RecapModel;
  /** The bars' minimum height; the panel grows into any room its parent leaves. */
  height: number;
  fontSize: number;
  padding: number;
}) {
  const { chart, colours } = model;
  if (!chart) return null;
  const top = Math.max(...chart.values, 0);
  const best = chart.values.indexOf(top);
  const gap = Math.max(3, Math.round(height / 40));
  return (
    <div
      style={{
        ...column,
        gap: fontSize * 0.9,
        padding,
        borderRadius: padding * 0.8,
        backgroundColor: colours.panel,
        flexGrow: 1,
        minHeight: 0,
      }}
    >
      <div style={{ ...column, gap: fontSize * 0.2 }}>
        <span style={{ ...oneLine, fontSize, fontWeight: 800, color: colours.ink }}>{chart.title}</span>
        <span style={{ ...oneLine, fontSize: fontSize * 0.9, color: colours.muted }}>{chart.caption}</span>
      </div>
      <div
        style={{
          ...row,
          alignItems: "flex-end",
          gap,
          minHeight: height,
          flexGrow: 1,
          borderBottom: `2px solid ${colours.rule}`,
        }}
      >
        {chart.values.map((value, index) => (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: weeks are positional and never reorder
            key={index}
            style={{
              flexGrow: 1,
              flexBasis: 0,
              // An empty week still shows as a sliver, so the weeks stay countable.
              height: `${top > 0 ? Math.max(3, (value / top) * 100) : 3}%`,
              borderRadius: `${gap}px ${gap}px 0 0`,
              backgroundColor: index === best ? colours.barLead : colours.bar,
            }}
          />
        ))}
      </div>
    </div>
  );
}
