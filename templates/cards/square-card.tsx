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
  // One hero number in both themes; highlights only when there is no chart to fill the room, and
  // only those that print no number the card already shows.
  const highlights = !model.chart && model.cardHighlights.length > 0;
  return (
    <Canvas model={model} width={SIZE} height={SIZE} padding={`${PAD - 8}px ${PAD}px ${PAD - 16}px`}>
      <div style={{ ...row, justifyContent: "space-between", alignItems: "center", gap: 32, height: 48 }}>
        <BrandMark model={model} height={44} fontSize={26} />
        <Kicker model={model} fontSize={17} />
      </div>
      <div style={{ ...column, marginTop: 32 }}>
        <HeadlineBlock
          model={model}
          measure={measure}
          width={INNER}
          max={bold ? 54 : 56}
          min={32}
          lines={2}
          spill={3}
          account={28}
        />
      </div>
      <div style={{ ...column, marginTop: 28 }}>
        <Numbers
          model={model}
          measure={measure}
          layout={{
            width: INNER,
            gap: 28,
            valueMax: 60,
            valueMin: 34,
            caption: 19,
            cue: 17,
            captionLines: 2,
            direction: "hero",
            heroMax: bold ? 150 : 104,
          }}
        />
      </div>
      {/* Never squeezed below what the chart's header, bars, months and legend need. */}
      <div style={{ ...row, flexGrow: 1, flexShrink: 0, minHeight: model.chart ? 186 : 0, marginTop: 24, gap: 32 }}>
        {model.chart ? (
          <BarChart
            model={model}
            height={60}
            fontSize={18}
            padding={24}
            legend="side"
            measure={measure}
            width={INNER - 260 - 32}
          />
        ) : null}
        <div
          style={{
            ...column,
            width: model.chart ? 260 : INNER,
            gap: 14,
            justifyContent: model.chart ? "flex-start" : "center",
          }}
        >
          <ArchetypeBadge model={model} fontSize={24} />
          {/* The tagline only where the chart leaves room for it (no chart), never echoing the title. */}
          {!model.chart && model.archetype.tagline && model.archetype.tagline !== model.title ? (
            <span style={{ ...clamp(3), fontSize: 17, lineHeight: 1.4, color: model.colours.muted }}>
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
      <div style={{ ...row, marginTop: 18 }}>
        <Footnote model={model} fontSize={15} lines={2} />
      </div>
    </Canvas>
  );
}
