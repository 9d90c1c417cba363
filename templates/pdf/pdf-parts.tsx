import { Path, Rect, Svg, Text, View } from "@react-pdf/renderer";
import type { Style } from "@react-pdf/types";
import QRCode from "qrcode";
import { fitRow } from "../fit.js";
import type { Measure, NumberModel, RecapModel } from "../model.js";
import type { PdfChartAxis } from "./pdf-chart.js";

/**
 * The PDF's building blocks, in react-pdf primitives (View/Text/Svg, flexbox, points). They mirror
 * the cards' pieces; the page is printed, so sizes are in pt and colours stay solid.
 */

/** react-pdf knows `maxLines` and `textOverflow` but its style type does not list them. */
export function clampText(lines: number): Style {
  return { maxLines: lines, textOverflow: "ellipsis" } as Style;
}

function Arrow({ direction, colour, size }: { direction: "up" | "down" | "flat"; colour: string; size: number }) {
  const d =
    direction === "up"
      ? "M5 1 L9.5 9 L0.5 9 Z"
      : direction === "down"
        ? "M0.5 1 L9.5 1 L5 9 Z"
        : "M1 4 L9 4 L9 6 L1 6 Z";
  return (
    <Svg width={size} height={size} viewBox="0 0 10 10">
      <Path d={d} fill={colour} />
    </Svg>
  );
}

/**
 * One number with its caption, change and peer band. The hero (the card model's lead number) sits
 * on a block of the brand's primary colour in its own readable colours, as on the classic cards;
 * the others on the page's quiet panel.
 */
function Tile({ entry, model, size, hero }: { entry: NumberModel; model: RecapModel; size: number; hero: boolean }) {
  const { colours } = model;
  const fill = hero ? colours.heroFill : null;
  const muted = fill ? colours.onHeroMuted : colours.muted;
  const cue = !entry.change
    ? muted
    : fill
      ? entry.change.verdict === "better"
        ? colours.onHero
        : colours.onHeroMuted
      : colours[entry.change.verdict];
  const small = hero ? 10.5 : 8.5;
  return (
    <View
      style={{
        flexGrow: 1,
        padding: hero ? 18 : 10,
        paddingHorizontal: hero ? 18 : 12,
        borderRadius: 8,
        backgroundColor: fill ?? colours.panel,
        color: fill ? colours.onHero : colours.ink,
        justifyContent: "center",
      }}
    >
      {hero ? (
        <View style={{ width: 28, height: 3, borderRadius: 1.5, backgroundColor: colours.onHero, marginBottom: 10 }} />
      ) : null}
      <Text
        style={{
          fontSize: size,
          fontWeight: 800,
          lineHeight: 1.1,
          color: fill ? colours.onHero : colours.primary,
          ...clampText(1),
        }}
      >
        {entry.value}
      </Text>
      <Text style={{ fontSize: hero ? 12 : 9.5, fontWeight: 600, marginTop: 3, lineHeight: 1.3, ...clampText(2) }}>
        {entry.caption}
      </Text>
      {entry.change ? (
        <View style={{ flexDirection: "row", alignItems: "center", marginTop: hero ? 8 : 4 }}>
          <Arrow direction={entry.change.direction} colour={cue} size={hero ? 8 : 6.5} />
          <Text style={{ fontSize: small + 0.5, fontWeight: 800, color: cue, marginLeft: 3 }}>{entry.change.text}</Text>
          <Text style={{ fontSize: small, color: muted, marginLeft: 4, ...clampText(1) }}>{model.words.versus}</Text>
        </View>
      ) : null}
      {entry.band ? (
        <Text style={{ fontSize: small, fontWeight: 600, marginTop: hero ? 5 : 3, ...clampText(1) }}>{entry.band}</Text>
      ) : null}
    </View>
  );
}

/** The hero's share of the row's width; the others stack in the rest. */
const HERO_SHARE = 0.58;
const GAP = 8;
/** The supporting numbers at most this fraction of the hero's size, as on the cards. */
const SUPPORTING = 0.6;

/**
 * The numbers: one hero, as on the cards (the model's lead number, on a block of the brand's
 * colour in a wide column on the left, at the largest size the column takes), and the other one or
 * two stacked on the right, visibly smaller (one shared size, at most 0.6× the hero's).
 */
export function PdfNumbers({ model, measure, width }: { model: RecapModel; measure: Measure; width: number }) {
  const [lead, ...rest] = model.numbers;
  if (!lead) return null;
  const heroWidth = rest.length > 0 ? (width - GAP) * HERO_SHARE : width;
  const heroSize = fitRow(measure, [lead.value], {
    weight: 800, // Without a chart under them the numbers get the room to be bigger.
    max: model.chart ? 60 : 72,
    min: 20,
    width: heroWidth - 36,
  });
  const restSize = Math.min(
    fitRow(
      measure,
      rest.map((entry) => entry.value),
      { weight: 800, max: 32, min: 12, width: width - GAP - heroWidth - 24 },
    ),
    Math.floor(heroSize * SUPPORTING),
  );
  return (
    <View style={{ flexDirection: "row", gap: GAP }}>
      <View style={{ width: heroWidth, flexDirection: "column" }}>
        <Tile entry={lead} model={model} size={heroSize} hero />
      </View>
      {rest.length > 0 ? (
        <View style={{ flexGrow: 1, flexBasis: 0, flexDirection: "column", gap: GAP }}>
          {rest.map((entry) => (
            <Tile key={entry.id} entry={entry} model={model} size={restSize} hero={false} />
          ))}
        </View>
      ) : null}
    </View>
  );
}

/** The axis's month names: 8.5 pt, after a tick and a 3 pt gap. */
const AXIS_SIZE = 8.5;
const AXIS_INSET = 5;

/**
 * Which name each month gets under the bars: the long ones ("heinäkuu") when every month of two
 * weeks or more has room for its own, else the short ones ("heinä", twelve months of a year); a
 * sliver of a month at a window's edge that has room for neither shows only its tick.
 */
function axisLabels(axis: PdfChartAxis, measure: Measure, width: number): string[] {
  const total = axis.months.reduce((sum, month) => sum + month.days, 0);
  const room = (days: number) => (days / total) * width - AXIS_INSET - 2;
  const fits = (label: string, days: number) => measure(label, 400) * AXIS_SIZE <= room(days);
  const long = axis.months.every((month) => month.days < 14 || fits(month.label, month.days));
  return axis.months.map((month) => {
    const first = long ? month.label : month.short;
    if (fits(first, month.days)) return first;
    return fits(month.short, month.days) ? month.short : "";
  });
}

function Swatch({ colour, opacity = 1 }: { colour: string; opacity?: number }) {
  return <View style={{ width: 7, height: 7, borderRadius: 1.5, backgroundColor: colour, opacity, marginRight: 4 }} />;
}

/**
 * The period's bars (weeks of a quarter or a window, months of a year), as tall as the page leaves
 * room for: the chart grows to fill the space between the numbers and the highlights, so the page
 * is full whatever the length of the copy. Bars are flex views with percentage heights (react-pdf
 * lays them out; no fixed SVG height), each as wide as its days so the month names under them line
 * up, as on the cards. The best full week (month) is in the accent colour; a partial week or the
 * running month (prorated, see pdf-chart.ts) is drawn faded, and the legend says both.
 */
export function PdfChart({
  model,
  axis,
  measure,
  width,
}: {
  model: RecapModel;
  axis: PdfChartAxis;
  measure: Measure;
  /** The chart panel's outer width, in pt. */
  width: number;
}) {
  const { chart, colours, words } = model;
  if (!chart) return null;
  const top = Math.max(...axis.bars.map((bar) => bar.value), 0);
  const labels = axisLabels(axis, measure, width - 28);
  const partial = axis.bars.some((bar) => bar.partial);
  return (
    <View style={{ flexGrow: 1, padding: 14, borderRadius: 8, backgroundColor: colours.panel }}>
      <View style={{ flexDirection: "row", alignItems: "flex-end", marginBottom: 10 }}>
        <Text style={{ fontSize: 11, fontWeight: 800 }}>{chart.title}</Text>
        <Text style={{ flex: 1, fontSize: 9.5, color: colours.muted, marginLeft: 6, ...clampText(1) }}>
          {chart.caption}
        </Text>
        <View style={{ flexDirection: "row", alignItems: "center", flexShrink: 0, marginLeft: 10 }}>
          <Swatch colour={colours.barLead} />
          <Text style={{ fontSize: 8, color: colours.muted }}>{words.bestWeek}</Text>
          {partial ? (
            <>
              <View style={{ width: 10 }} />
              <Swatch colour={colours.bar} opacity={0.4} />
              <Text style={{ fontSize: 8, color: colours.muted }}>{words.partialWeek}</Text>
            </>
          ) : null}
        </View>
      </View>
      <View
        style={{
          flexGrow: 1,
          minHeight: 32,
          flexDirection: "row",
          alignItems: "flex-end",
          borderBottomWidth: 1.5,
          borderBottomColor: colours.rule,
        }}
      >
        {axis.bars.map((bar, index) => (
          <View
            // biome-ignore lint/suspicious/noArrayIndexKey: weeks and months are positional and never reorder
            key={index}
            style={{
              flexGrow: bar.days,
              flexBasis: 0,
              marginHorizontal: 2,
              height: `${top > 0 ? Math.max(1.5, (bar.value / top) * 100) : 1.5}%`,
              borderTopLeftRadius: 2,
              borderTopRightRadius: 2,
              backgroundColor: bar.best ? colours.barLead : colours.bar,
              opacity: bar.partial ? 0.4 : 1,
            }}
          />
        ))}
      </View>
      <View style={{ height: 16, marginTop: 2, flexDirection: "row" }}>
        {axis.months.map((month, index) => (
          <View
            // biome-ignore lint/suspicious/noArrayIndexKey: short month names may repeat; months never reorder
            key={index}
            style={{ flexGrow: month.days, flexBasis: 0, flexDirection: "row" }}
          >
            <View style={{ width: 1, height: 6, backgroundColor: colours.muted }} />
            {labels[index] ? (
              <Text style={{ fontSize: AXIS_SIZE, color: colours.muted, marginLeft: 3, marginTop: 3 }}>
                {labels[index]}
              </Text>
            ) : null}
          </View>
        ))}
      </View>
    </View>
  );
}

/**
 * The share link as a QR code, drawn as one vector path of dark modules on a white quiet zone (a
 * QR code needs dark-on-light to scan, whatever the theme).
 */
export function QrCode({ url, size, colour }: { url: string; size: number; colour: string }) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  const count = modules.size;
  let d = "";
  for (let y = 0; y < count; y++)
    for (let x = 0; x < count; x++) if (modules.get(y, x)) d += `M${x + 2} ${y + 2}h1v1h-1z`;
  return (
    <Svg width={size} height={size} viewBox={`0 0 ${count + 4} ${count + 4}`}>
      <Rect x={0} y={0} width={count + 4} height={count + 4} fill="#ffffff" />
      <Path d={d} fill={colour} />
    </Svg>
  );
}
