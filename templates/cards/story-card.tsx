import type { Measure, RecapModel } from "../model.js";
import { BarChart } from "./bar-chart.js";
import { HeadlineBlock } from "./headline.js";
import { Numbers } from "./numbers.js";
import { ArchetypeBadge, BrandMark, Canvas, column, Footnote, Highlights, Kicker } from "./parts.js";

/**
 * The story, 1080×1920, read top to bottom like a Wrapped slide: headline, the lead number very
 * large with the other two under it, the chart, the archetype. The top 130 px and bottom 150 px stay free of content because
 * the apps draw their own header and reply bar there. The highlights take the chart's place only
 * when there is no chart: beside it they would only repeat the numbers in small print.
 */
const WIDTH = 1080;
const HEIGHT = 1920;
const PAD_X = 88;
const INNER = WIDTH - PAD_X * 2;

export function StoryCard({ model, measure }: { model: RecapModel; measure: Measure }) {
  const bold = model.colours.theme === "bold";
  return (
    <Canvas model={model} width={WIDTH} height={HEIGHT} padding={`130px ${PAD_X}px 150px`}>
      <div style={{ ...column, gap: 16 }}>
        <BrandMark model={model} height={52} fontSize={32} />
        <Kicker model={model} fontSize={20} />
      </div>
      <div style={{ ...column, marginTop: 48 }}>
        <HeadlineBlock
          model={model}
          measure={measure}
          width={INNER}
          max={bold ? 72 : 80}
          min={48}
          lines={3}
          spill={4}
          account={34}
        />
      </div>
      <div style={{ ...column, marginTop: 48 }}>
        <Numbers
          model={model}
          measure={measure}
          layout={{
            width: INNER,
            gap: 44,
            heroMax: bold ? 230 : 200,
            valueMax: bold ? 88 : 76,
            valueMin: 44,
            caption: 26,
            cue: 22,
            captionLines: 2,
            direction: "hero",
          }}
        />
      </div>
      <div style={{ ...column, flexGrow: 1, minHeight: 0, marginTop: 44, gap: 28 }}>
        {model.chart ? (
          <BarChart model={model} height={90} fontSize={24} padding={32} measure={measure} width={INNER} />
        ) : (
          <Highlights model={model} fontSize={28} lines={3} gap={20} />
        )}
        <ArchetypeBadge model={model} fontSize={30} />
      </div>
      <div style={{ ...column, marginTop: 36 }}>
        <Footnote model={model} fontSize={19} lines={2} />
      </div>
    </Canvas>
  );
}
