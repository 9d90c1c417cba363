import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { createElement, Fragment, isValidElement, type ReactNode, type ReactElement } from "react";
import { Card } from "../../templates/cards/card.js";
import { buildRecapModel } from "../../templates/model.js";
import { loadFonts } from "../../src/rendering/fonts.js";
import { renderInput } from "./fixtures.js";
const ogRequire = createRequire(createRequire(import.meta.url).resolve("@vercel/og/package.json"));
const satoriOld = await import(pathToFileURL(ogRequire.resolve("satori/wasm")).href);
const yoga = await import(pathToFileURL(ogRequire.resolve("yoga-wasm-web")).href);
const resvg = await import(pathToFileURL(ogRequire.resolve("@resvg/resvg-wasm")).href);
const vendor = (f: string) => readFileSync(new URL(`vendor/${f}`, pathToFileURL(ogRequire.resolve("@vercel/og/package.json"))));
await resvg.initWasm(vendor("resvg.simd.wasm"));
satoriOld.init(await yoga.default(vendor("yoga.wasm")));
function downgrade(node: ReactNode): ReactNode {
  if (Array.isArray(node)) return node.map(downgrade);
  if (!isValidElement(node)) return node;
  const el = node as ReactElement<Record<string, unknown>>;
  if (typeof el.type === "function") return downgrade((el.type as (p: unknown) => ReactNode)(el.props));
  if (el.type === Fragment) return downgrade(el.props.children as ReactNode);
  const { style, children, ...rest } = el.props as { style?: Record<string, unknown>; children?: ReactNode };
  const s = style ? { ...style } : undefined;
  if (s) { if (s.display === "block") s.display = "flex"; delete s.lineClamp; delete s.boxSizing; delete s.textWrap; }
  return createElement(el.type as string, { ...rest, style: s }, downgrade(children));
}
const fonts = loadFonts();
const model = buildRecapModel(await renderInput());
const tree = downgrade(createElement(Card, { size: "linkedin", model, measure: fonts.measure }));
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const svg = await satoriOld.default(tree, { width: 1200, height: 627, fonts: fonts.satori });
  const png = new resvg.Resvg(svg, { fitTo: { mode: "width", value: 1200 } }).render();
  console.log(performance.now() - t, png.length);
  writeFileSync("/tmp/cards/og.png", png);
}
