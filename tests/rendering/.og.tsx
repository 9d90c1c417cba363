import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { createElement } from "react";
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
const fonts = loadFonts();
const model = buildRecapModel(await renderInput());
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const svg = await satoriOld.default(createElement(Card, { size: "linkedin", model, measure: fonts.measure }), { width: 1200, height: 627, fonts: fonts.satori });
  const png = new resvg.Resvg(svg, { fitTo: { mode: "width", value: 1200 } }).render().asPng();
  console.log(performance.now() - t, png.length);
  writeFileSync("/tmp/cards/og.png", png);
}
