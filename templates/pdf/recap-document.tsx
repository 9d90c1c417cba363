import { Document, Image, Page, Text, View } from "@react-pdf/renderer";
import { fitSize } from "../fit.js";
import { logoBox } from "../logo.js";
import type { Measure, RecapModel } from "../model.js";
import type { PdfChartAxis } from "./pdf-chart.js";
import type { PdfLook } from "./pdf-look.js";
import { clampText, PdfChart, PdfNumbers, QrCode } from "./pdf-parts.js";

/**
 * The one-page A4 recap: "one page, one chart, three numbers". Everything that can grow is
 * clamped (lines with an ellipsis, sizes fitted to the text) and the page does not wrap, so a
 * long name or headline can never spill onto a second page.
 */
const A4_WIDTH = 595.28;
const MARGIN = 44;
const INNER = A4_WIDTH - MARGIN * 2;

export type RecapDocumentProps = {
  model: RecapModel;
  measure: Measure;
  /** The logo as a PNG data URI (react-pdf draws no SVG images; the renderer rasterises it). */
  logoSrc: string | null;
  /** react-pdf's fallback chain of registered families (see src/rendering/pdf.ts). */
  fontFamily: string[];
  /** The page's colours and, in the bold theme, the brand band (see pdf-look.ts). */
  look: PdfLook;
  /** The chart's bars and month names; null draws no chart. */
  chartAxis: PdfChartAxis | null;
};

function Header({
  model,
  logoSrc,
  muted,
  plate,
}: Pick<RecapDocumentProps, "model" | "logoSrc"> & { muted: string; plate: boolean }) {
  const box = model.logo && logoSrc ? logoBox(model.logo, 24, 110) : null;
  return (
    <View style={{ flexDirection: "row", alignItems: "center", justifyContent: "space-between" }}>
      {/* The product name gives way to the kicker: a 60-character name is cut, never drawn over it. */}
      <View style={{ flexDirection: "row", alignItems: "center", flex: 1, marginRight: 14 }}>
        {box && logoSrc ? (
          <View
            style={{
              padding: plate ? 4 : 0,
              backgroundColor: plate ? "#ffffff" : undefined,
              borderRadius: 4,
              marginRight: 8,
            }}
          >
            <Image src={logoSrc} style={{ width: box.width, height: box.height, objectFit: "contain" }} />
          </View>
        ) : null}
        <Text style={{ flex: 1, fontSize: 13, fontWeight: 800, ...clampText(1) }}>{model.product}</Text>
      </View>
      <Text
        style={{
          flexShrink: 0,
          fontSize: 8.5,
          fontWeight: 600,
          color: muted,
          letterSpacing: 0.8,
          textTransform: "uppercase",
        }}
      >
        {`${model.words.kicker} · ${model.period}`}
      </Text>
    </View>
  );
}

function Archetype({ model }: { model: RecapModel }) {
  const { colours, archetype } = model;
  return (
    <View style={{ flex: 2, padding: 14, borderRadius: 8, backgroundColor: colours.accent, color: colours.onAccent }}>
      <Text style={{ fontSize: 8, fontWeight: 600, letterSpacing: 0.6, textTransform: "uppercase" }}>
        {archetype.label}
      </Text>
      <Text style={{ fontSize: 16, fontWeight: 800, marginTop: 3, ...clampText(2) }}>{archetype.name}</Text>
      {/* The model gives a tagline the copy does not print (variant B's subheadline is the first); never twice. */}
      {archetype.tagline && archetype.tagline !== model.subheadline ? (
        <Text style={{ fontSize: 9, marginTop: 6, lineHeight: 1.4, ...clampText(4) }}>{archetype.tagline}</Text>
      ) : null}
    </View>
  );
}

function Highlights({ model }: { model: RecapModel }) {
  if (model.highlights.length === 0) return <View style={{ flex: 3 }} />;
  return (
    <View style={{ flex: 3 }}>
      <Text style={{ fontSize: 11, fontWeight: 800, marginBottom: 6 }}>{model.words.highlights}</Text>
      {model.highlights.map((text) => (
        <View key={text} style={{ flexDirection: "row", marginTop: 5 }}>
          <View
            style={{
              width: 3,
              height: 11,
              borderRadius: 1.5,
              marginTop: 1.5,
              marginRight: 7,
              backgroundColor: model.colours.accent,
            }}
          />
          <Text style={{ flex: 1, fontSize: 10, lineHeight: 1.45, ...clampText(3) }}>{text}</Text>
        </View>
      ))}
    </View>
  );
}

function Footer({ model }: { model: RecapModel }) {
  const { colours } = model;
  return (
    <View
      style={{
        marginHorizontal: MARGIN,
        marginTop: 18,
        marginBottom: 30,
        flexDirection: "row",
        alignItems: "flex-end",
        borderTopWidth: 1,
        borderTopColor: colours.rule,
        paddingTop: 12,
      }}
    >
      <Text
        style={{ flex: 1, fontSize: 8.5, lineHeight: 1.45, color: colours.muted, paddingRight: 16, ...clampText(3) }}
      >
        {model.transparency}
      </Text>
      {model.shareUrl ? (
        <View style={{ flexDirection: "row", alignItems: "center" }}>
          <View style={{ width: 160, marginRight: 8, alignItems: "flex-end" }}>
            <Text style={{ fontSize: 8.5, fontWeight: 600, textAlign: "right" }}>{model.words.scan}</Text>
            <Text style={{ fontSize: 7.5, color: colours.muted, textAlign: "right", marginTop: 2, ...clampText(2) }}>
              {model.shareUrl.replace(/^https?:\/\//, "")}
            </Text>
          </View>
          <QrCode url={model.shareUrl} size={72} colour="#111111" />
        </View>
      ) : null}
    </View>
  );
}

/**
 * The headline block: on the brand's colour in the bold theme (a band across the top of a white
 * page), on the page itself in classic.
 */
function Top({
  model,
  measure,
  logoSrc,
  band: onBand,
}: Pick<RecapDocumentProps, "model" | "measure" | "logoSrc"> & { band: PdfLook["band"] }) {
  const { colours } = model;
  const headline = fitSize(measure, model.headline, { weight: 800, max: 34, min: 20, width: INNER, lines: 2 });
  const account = fitSize(measure, model.account, { weight: 600, max: 13, min: 9, width: INNER, lines: 1 });
  return (
    <View
      style={{
        paddingHorizontal: MARGIN,
        paddingTop: onBand ? 22 : 28,
        paddingBottom: onBand ? 20 : 0,
        backgroundColor: onBand?.fill,
        color: onBand?.ink ?? colours.ink,
      }}
    >
      {/* On the brand's colour a logo in that colour would vanish: it gets a white plate. */}
      <Header model={model} logoSrc={logoSrc} muted={onBand?.muted ?? colours.muted} plate={onBand !== null} />
      {model.accountLine ? (
        <Text
          style={{
            fontSize: account,
            fontWeight: 600,
            color: onBand?.muted ?? colours.primary,
            marginTop: 24,
            ...clampText(1),
          }}
        >
          {model.account}
        </Text>
      ) : null}
      <Text
        style={{
          fontSize: headline,
          fontWeight: 800,
          lineHeight: 1.15,
          marginTop: model.accountLine ? 6 : 24,
          ...clampText(3),
        }}
      >
        {model.headline}
      </Text>
      <Text
        style={{
          fontSize: 12,
          lineHeight: 1.45,
          color: onBand?.muted ?? colours.muted,
          marginTop: 10,
          ...clampText(2),
        }}
      >
        {model.subheadline}
      </Text>
    </View>
  );
}

export function RecapDocument({ model: themed, measure, logoSrc, fontFamily, look, chartAxis }: RecapDocumentProps) {
  // The page is light in both themes (see pdf-look.ts): every part draws with the page's palette.
  const model = { ...themed, colours: look.page };
  const { colours } = model;
  const chart = model.chart && chartAxis ? chartAxis : null;
  return (
    <Document
      title={model.headline}
      author={model.product}
      subject={`${model.words.kicker} · ${model.period}`}
      language={model.locale}
    >
      {/* One page: everything that can grow is clamped, and the chart takes the height left over. */}
      <Page
        size="A4"
        style={{
          backgroundColor: colours.background,
          color: colours.ink,
          fontFamily: fontFamily as unknown as string,
          flexDirection: "column",
        }}
      >
        {look.band ? null : <View style={{ height: 6, backgroundColor: colours.primary }} />}
        <Top model={model} measure={measure} logoSrc={logoSrc} band={look.band} />
        <View
          style={{
            flexGrow: 1,
            paddingHorizontal: MARGIN,
            paddingTop: 20,
            justifyContent: chart ? "flex-start" : "space-around",
          }}
        >
          <PdfNumbers model={model} measure={measure} width={INNER} />
          {chart ? (
            <View style={{ flexGrow: 1, marginTop: 12 }}>
              <PdfChart model={model} axis={chart} measure={measure} width={INNER} />
            </View>
          ) : null}
          <View style={{ flexDirection: "row", gap: 18, marginTop: 16 }}>
            <Highlights model={model} />
            <Archetype model={model} />
          </View>
        </View>
        <Footer model={model} />
      </Page>
    </Document>
  );
}
