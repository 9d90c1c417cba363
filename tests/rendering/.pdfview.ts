import { readFileSync, writeFileSync } from "node:fs";
import { createCanvas } from "@napi-rs/canvas";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";

const file = process.argv[2]!;
const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)) }).promise;
const page = await doc.getPage(1);
const viewport = page.getViewport({ scale: 1.6 });
const canvas = createCanvas(viewport.width, viewport.height);
await page.render({ canvasContext: canvas.getContext("2d") as never, viewport, canvas: canvas as never }).promise;
writeFileSync(file.replace(/\.pdf$/, ".pdf.png"), canvas.toBuffer("image/png"));
const text = await page.getTextContent();
console.log(
  doc.numPages,
  page.view,
  text.items
    .map((i) => ("str" in i ? i.str : ""))
    .join("|")
    .slice(0, 400),
);
