import type { Measure, RecapModel } from "../model.js";
import { BarChart } from "./bar-chart.js";
import { HeadlineBlock } from "./headline.js";
import { Numbers } from "./numbers.js";
import { ArchetypeBadge, BrandMark, Canvas, clamp, column, Footnote, Highlights, Kicker, row } from "./parts.js";

/**
 * The square post, 1080×1080: headline, the numbers row, then the chart beside the archetype (with
 * its tagline) and, in the classic theme, the highlights under them. The chart panel takes whatever height is left, so one or two facts
 * or a short headline give the chart more room instead of leaving a hole.
 */
const SIZE = 1080;
const PAD = 72;
const INNER = SIZE - PAD * 2;

export function SquareCard({ model, measure }: { model: RecapModel; measure: Measure }) {
  const bold = model.colours.theme === "bold";
  // Without a chart (its metric hidden) the room goes to a hero number and the highlights.
  const hero = bold || !model.chart;
  const highlights = !bold || !model.chart;
  return (
    <Canvas model={model} width={SIZE} height={SIZE} padding={`${PAD - 8}px ${PAD}px ${PAD - 16}px`}>
      <div style={{ ...row, justifyContent: "space-between", alignItems: "center", gap: 32, height: 48 }}>
        <BrandMark model={model} height={44} fontSize={26} />
        <Kicker model={model} fontSize={17} />
      </div>
      <div style={{ ...column, marginTop: 44 }}>
        <HeadlineBlock
          model={model}
          measure={measure}
          width={INNER}
          max={bold ? 58 : 64}
          min={40}
          lines={2}
          account={28}
        />
      </div>
      <div style={{ ...column, marginTop: 40 }}>
        <Numbers
          model={model}
          measure={measure}
          layout={{
            width: INNER,
            gap: 36,
            valueMax: 76,
            valueMin: 34,
            caption: 19,
            cue: 17,
            captionLines: 2,
            // Bold is the loud theme: the lead number alone and huge, fewer words (no highlights).
            direction: hero ? "hero" : "row",
            heroMax: 150,
          }}
        />
      </div>
      <div style={{ ...row, flexGrow: 1, minHeight: 0, marginTop: 36, gap: 32 }}>
        {model.chart ? <BarChart model={model} height={80} fontSize={18} padding={24} /> : null}
        <div
          style={{
            ...column,
            width: model.chart ? 290 : INNER,
            gap: 14,
            justifyContent: model.chart ? "flex-start" : "center",
          }}
        >
          <ArchetypeBadge model={model} fontSize={24} />
          {model.archetype.tagline ? (
            <span style={{ ...clamp(4), fontSize: 17, lineHeight: 1.4, color: model.colours.muted }}>
              {model.archetype.tagline}
            </span>
          ) : null}
        </div>
      </div>
      {highlights ? (
        <div style={{ ...column, marginTop: 28 }}>
          <Highlights model={model} fontSize={19} lines={2} gap={10} />
        </div>
      ) : null}
      <div style={{ ...row, marginTop: 24 }}>
        <Footnote model={model} fontSize={15} lines={2} />
      </div>
    </Canvas>
  );
}
