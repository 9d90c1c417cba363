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

/**
 * Weekly bars, as tall as the page leaves room for: the chart grows to fill the space between the
 * numbers and the highlights, so the page is full whatever the length of the copy. Bars are flex
 * views with percentage heights (react-pdf lays them out; no fixed SVG height). The best full week
 * is in the accent colour; a partial week (prorated, see pdf-chart.ts) is drawn faded. Month names
 * sit under the week in which each month starts.
 */
export function PdfChart({ model, axis }: { model: RecapModel; axis: PdfChartAxis }) {
  const { chart, colours } = model;
  if (!chart) return null;
  const top = Math.max(...axis.bars.map((bar) => bar.value), 0);
  return (
    <View style={{ flexGrow: 1, padding: 14, borderRadius: 8, backgroundColor: colours.panel }}>
      <View style={{ flexDirection: "row", alignItems: "flex-end", marginBottom: 10 }}>
        <Text style={{ fontSize: 11, fontWeight: 800 }}>{chart.title}</Text>
        <Text style={{ fontSize: 9.5, color: colours.muted, marginLeft: 6, ...clampText(1) }}>{chart.caption}</Text>
      </View>
      <View
        style={{
          flexGrow: 1,
          minHeight: 32,
          flexDirection: "row",
          alignItems: "flex-end",
          gap: 4,
          borderBottomWidth: 1.5,
          borderBottomColor: colours.rule,
        }}
      >
        {axis.bars.map((bar, index) => (
          <View
            // biome-ignore lint/suspicious/noArrayIndexKey: weeks are positional and never reorder
            key={index}
            style={{
              flex: 1,
              height: `${top > 0 ? Math.max(1.5, (bar.value / top) * 100) : 1.5}%`,
              borderTopLeftRadius: 2,
              borderTopRightRadius: 2,
              backgroundColor: bar.best ? colours.barLead : colours.bar,
              opacity: bar.partial ? 0.4 : 1,
            }}
          />
        ))}
      </View>
      <View style={{ height: 16, marginTop: 2 }}>
        {axis.months.map((month) => (
          <View
            key={month.label}
            style={{ position: "absolute", left: `${month.at * 100}%`, top: 0, flexDirection: "row" }}
          >
            <View style={{ width: 1, height: 6, backgroundColor: colours.muted }} />
            <Text style={{ fontSize: 8.5, color: colours.muted, marginLeft: 3, marginTop: 3 }}>{month.label}</Text>
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
