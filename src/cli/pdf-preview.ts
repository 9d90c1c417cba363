/**
 * The PDF's first page as a PNG, for looking at it beside the cards (the gallery, test artifacts).
 * pdf.js draws it on @napi-rs/canvas (the canvas pdf.js itself uses in Node), so what is seen is
 * what a PDF reader shows. Both are development dependencies: the gallery is a developer's tool, so
 * they are loaded only when a preview is asked for.
 */
export async function pdfPagePng(pdf: Uint8Array, width = 794): Promise<Buffer> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const { createCanvas } = await import("@napi-rs/canvas");
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const page = await document.getPage(1);
    const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
    const canvas = createCanvas(Math.round(viewport.width), Math.round(viewport.height));
    // pdf.js's types name the DOM canvas; @napi-rs/canvas is the drop-in it uses in Node.
    type RenderParameters = Parameters<typeof page.render>[0];
    await page.render({
      canvas: canvas as unknown as RenderParameters["canvas"],
      canvasContext: canvas.getContext("2d") as unknown as RenderParameters["canvasContext"],
      viewport,
    }).promise;
    return canvas.toBuffer("image/png");
  } finally {
    await document.destroy();
  }
}
