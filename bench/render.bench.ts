import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { renderToBuffer } from "@react-pdf/renderer";
import { createElement, Fragment, isValidElement, type ReactElement, type ReactNode } from "react";
import satori from "satori";
import sharp from "sharp";
import { FONT_FAMILIES, loadFonts } from "../src/rendering/fonts.js";
import { createRenderer } from "../src/rendering/renderer.js";
import { CARD_SIZES, type CardSize } from "../src/rendering/rendering.types.js";
import { Card } from "../templates/cards/card.js";
import { buildRecapModel } from "../templates/model.js";
import { pdfChartAxis } from "../templates/pdf/pdf-chart.js";
import { pdfLook } from "../templates/pdf/pdf-look.js";
import { RecapDocument } from "../templates/pdf/recap-document.js";
import { renderInput } from "../tests/rendering/fixtures.js";
// Types only: support.js loads PostgreSQL, which this CPU-only benchmark does not need.
import type { BenchRow } from "./support.js";

/**
 * Cards and the PDF through our renderer (the worker pool, one thread per core), against, in the
 * same run and on the same Finnish recap:
 * - bare satori + sharp on the main thread: the same template element and fonts, no model, no
 *   glyph check, no pool. It is what a hand-rolled endpoint would do; the ratio is what our
 *   pipeline (resvg, the pool) buys or costs on top of the two libraries.
 * - @vercel/og: its package (1.0.0) cannot run in Node (its entry imports `.wasm?module` and
 *   fetches its font from a file: URL, both Edge-runtime only), so its exact pipeline is run from
 *   its own dependencies instead: satori 0.0.46 on yoga-wasm-web, then @resvg/resvg-wasm, on the
 *   main thread as ImageResponse would. That satori predates `display: block` and `lineClamp`, so
 *   the card is simplified for it (block → flex, no clamps): the same boxes and text to lay out.
 * - the PDF: react-pdf's renderToBuffer of the same document on the main thread.
 * Throughput fires `COUNT` renders at once; latency (p95) sends them one at a time. Each figure and
 * each baseline is measured in `ROUNDS` interleaved rounds and the best round counts, so a burst of
 * other load on the machine does not decide a ratio.
 */
const COUNT = Number(process.env.BENCH_RENDER_CARDS ?? 16);
const ROUNDS = Number(process.env.BENCH_RENDER_ROUNDS ?? 2);
const SIZES = Object.keys(CARD_SIZES) as CardSize[];

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] as number;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Per-render times (ms) of `count` renders one after another, after one untimed warm-up. */
async function latencies(count: number, render: () => Promise<unknown>): Promise<number[]> {
  await render();
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await render();
    times.push(performance.now() - started);
  }
  return times;
}

/** Renders per second with `count` renders in flight at once. */
async function throughput(count: number, render: () => Promise<unknown>): Promise<number> {
  await render();
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, render));
  return count / ((performance.now() - started) / 1000);
}

/** Old satori knows neither block boxes nor clamps: expand the components, keep the same boxes. */
function forOldSatori(node: ReactNode): ReactNode {
  if (Array.isArray(node)) return node.map(forOldSatori);
  if (!isValidElement(node)) return node;
  const element = node as ReactElement<{ style?: Record<string, unknown>; children?: ReactNode }>;
  if (typeof element.type === "function")
    return forOldSatori((element.type as (props: unknown) => ReactNode)(element.props));
  if ((element.type as unknown) === Fragment) return forOldSatori(element.props.children);
  const { style, children, ...rest } = element.props;
  const simple: Record<string, unknown> | undefined = style ? { ...style } : undefined;
  if (simple?.display === "block") simple.display = "flex";
  if (simple) for (const key of ["lineClamp", "boxSizing", "textWrap"]) delete simple[key];
  return createElement(element.type as string, { ...rest, style: simple }, forOldSatori(children));
}

type OgPipeline = (element: ReactNode, width: number, height: number) => Promise<Uint8Array>;

/** @vercel/og's own satori and resvg-wasm, loaded from its dependencies and initialised as it does. */
async function ogPipeline(): Promise<OgPipeline> {
  const ogPackage = createRequire(import.meta.url).resolve("@vercel/og/package.json");
  const fromOg = createRequire(ogPackage);
  const load = (name: string) => import(pathToFileURL(fromOg.resolve(name)).href);
  const vendor = (file: string) => readFileSync(new URL(`vendor/${file}`, pathToFileURL(ogPackage)));
  const [oldSatori, yoga, resvg] = await Promise.all([
    load("satori/wasm"),
    load("yoga-wasm-web"),
    load("@resvg/resvg-wasm"),
  ]);
  await resvg.initWasm(vendor("resvg.simd.wasm"));
  oldSatori.init(await yoga.default(vendor("yoga.wasm")));
  const { satori: fonts } = loadFonts();
  return async (element, width, height) => {
    const svg: string = await oldSatori.default(element, { width, height, fonts });
    return new resvg.Resvg(svg, { fitTo: { mode: "width", value: width } }).render() as Uint8Array;
  };
}

export async function benchRender(): Promise<BenchRow[]> {
  const input = await renderInput({ locale: "fi", theme: "classic" });
  const model = buildRecapModel(input);
  const fonts = loadFonts();
  const threads = availableParallelism();
  const renderer = createRenderer({ threads });
  const og = await ogPipeline();
  const rows: BenchRow[] = [];
  try {
    for (const size of SIZES) {
      const { width, height } = CARD_SIZES[size];
      const element = createElement(Card, { size, model, measure: fonts.measure });
      const bare = async () =>
        sharp(Buffer.from(await satori(element, { width, height, fonts: fonts.satori })))
          .png()
          .toBuffer();
      const ours = () => renderer.render(size, input);
      const simplified = forOldSatori(element);
      const ogCard = () => og(simplified, width, height);

      const rates = { ours: 0, bare: 0, og: 0 };
      let oursP95 = Number.POSITIVE_INFINITY;
      let bareP95 = Number.POSITIVE_INFINITY;
      for (let pass = 0; pass < ROUNDS; pass++) {
        rates.ours = Math.max(rates.ours, await throughput(COUNT, ours));
        const bareTimes = await latencies(COUNT, bare);
        rates.bare = Math.max(rates.bare, 1000 / mean(bareTimes));
        bareP95 = Math.min(bareP95, p95(bareTimes));
        rates.og = Math.max(rates.og, 1000 / mean(await latencies(COUNT, ogCard)));
        oursP95 = Math.min(oursP95, p95(await latencies(COUNT, ours)));
      }
      rows.push(
        {
          name: `render ${size}: cards/s (pool, ${threads} threads)`,
          value: round(rates.ours),
          unit: "cards/s",
          baselineName: "bare satori + sharp, main thread",
          baselineValue: round(rates.bare),
          ratio: rates.ours / rates.bare,
        },
        {
          name: `render ${size}: p95, one at a time`,
          value: round(oursP95),
          unit: "ms",
          baselineName: "bare satori + sharp p95",
          baselineValue: round(bareP95),
          ratio: bareP95 / oursP95,
        },
        {
          name: `render ${size}: cards/s vs @vercel/og`,
          value: round(rates.ours),
          unit: "cards/s",
          baselineName: "@vercel/og pipeline (satori 0.0.46 + resvg-wasm)",
          baselineValue: round(rates.og),
          ratio: rates.ours / rates.og,
          aim: "≥ 2",
        },
      );
    }
    const { renderPdfDocument } = await bareReactPdf();
    let pdfP95 = Number.POSITIVE_INFINITY;
    let barePdfP95 = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < ROUNDS; pass++) {
      pdfP95 = Math.min(pdfP95, p95(await latencies(COUNT, () => renderer.render("pdf", input))));
      barePdfP95 = Math.min(barePdfP95, p95(await latencies(COUNT, () => renderPdfDocument(model, fonts.measure))));
    }
    rows.push({
      name: "render pdf: p95, one at a time",
      value: round(pdfP95),
      unit: "ms",
      baselineName: "bare react-pdf renderToBuffer p95, main thread",
      baselineValue: round(barePdfP95),
      ratio: barePdfP95 / pdfP95,
    });
  } finally {
    await renderer.close();
  }
  return rows;
}

/** react-pdf with the same document and fonts, called directly (fonts registered as pdf.ts does). */
async function bareReactPdf() {
  const { renderPdf } = await import("../src/rendering/pdf.js");
  // renderPdf registers the fonts once; after that the baseline is renderToBuffer alone.
  const input = await renderInput({ locale: "fi" });
  await renderPdf(buildRecapModel(input), loadFonts(), input);
  return {
    renderPdfDocument: (model: ReturnType<typeof buildRecapModel>, measure: ReturnType<typeof loadFonts>["measure"]) =>
      renderToBuffer(
        createElement(RecapDocument, {
          model,
          measure,
          logoSrc: null,
          fontFamily: [...FONT_FAMILIES],
          look: pdfLook(input.brand, input.theme),
          chartAxis: pdfChartAxis(input, model.locale),
        }) as unknown as Parameters<typeof renderToBuffer>[0],
      ),
  };
}
