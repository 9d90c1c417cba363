import type { Measure, RecapModel } from "../model.js";
import { BarChart } from "./bar-chart.js";
import { HeadlineBlock } from "./headline.js";
import { Numbers } from "./numbers.js";
import { ArchetypeBadge, BrandMark, Canvas, column, Footnote, Kicker, row } from "./parts.js";

/**
 * LinkedIn's feed image, 1200×627: the story in one glance. Headline and numbers on the left, the
 * chart and the archetype on the right. The highlights stay in the post text under the image: at
 * this size they would be too small to read in the feed.
 */
const WIDTH = 1200;
const HEIGHT = 627;
const PAD_X = 56;
const RIGHT = 340;
const GUTTER = 48;

export function LinkedInCard({ model, measure }: { model: RecapModel; measure: Measure }) {
  const bold = model.colours.theme === "bold";
  const withChart = model.chart !== null;
  const left = WIDTH - PAD_X * 2 - (withChart ? RIGHT + GUTTER : 0);
  return (
    <Canvas model={model} width={WIDTH} height={HEIGHT} padding={`44px ${PAD_X}px 36px`}>
      <div style={{ ...row, justifyContent: "space-between", alignItems: "center", gap: 32, height: 40 }}>
        <BrandMark model={model} height={36} fontSize={22} />
        <Kicker model={model} fontSize={14} />
      </div>
      <div style={{ ...row, flexGrow: 1, gap: GUTTER, marginTop: 28, minHeight: 0 }}>
        <div style={{ ...column, width: left, justifyContent: "space-between", gap: 20 }}>
          <HeadlineBlock
            model={model}
            measure={measure}
            width={left}
            max={48}
            min={28}
            lines={3}
            account={22}
            sub={18}
          />
          {withChart ? null : (
            <div style={{ ...column, flexGrow: 1 }}>
              <ArchetypeBadge model={model} fontSize={20} />
            </div>
          )}
          <Numbers
            model={model}
            measure={measure}
            layout={{
              width: left,
              gap: 28,
              valueMax: bold ? 76 : 58,
              valueMin: 28,
              caption: 16,
              cue: 15,
              captionLines: 2,
              direction: "lead",
              heroMax: bold ? 96 : 84,
            }}
          />
        </div>
        {withChart ? (
          <div style={{ ...column, width: RIGHT, gap: 18 }}>
            <BarChart model={model} height={150} fontSize={16} padding={22} measure={measure} width={RIGHT} />
            <ArchetypeBadge model={model} fontSize={20} />
          </div>
        ) : null}
      </div>
      <div style={{ ...row, marginTop: 22 }}>
        <Footnote model={model} fontSize={13} />
      </div>
    </Canvas>
  );
}
