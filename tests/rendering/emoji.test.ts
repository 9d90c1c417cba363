import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { renderInput } from "./fixtures.js";

const renderer = createInProcessRenderer();
const ARTIFACTS = path.join(import.meta.dirname, "../../test-artifacts/rendering");

/**
 * Pixels of strong colour in the headline area of a classic LinkedIn card (left column, under the
 * logo row). The classic card's headline is dark ink on a near-white field, so only an emoji puts
 * saturated colour there.
 */
function colourfulHeadlinePixels(png: Buffer): number {
  const image = PNG.sync.read(png);
  let colourful = 0;
  for (let y = 100; y < 320; y++)
    for (let x = 50; x < 720; x++) {
      const at = (y * image.width + x) * 4;
      const [r, g, b] = [image.data[at]!, image.data[at + 1]!, image.data[at + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 90) colourful += 1;
    }
  return colourful;
}

async function imagesOnPdfPage(bytes: Buffer): Promise<number> {
  const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const operators = await (await document.getPage(1)).getOperatorList();
  await document.destroy();
  return operators.fnArray.filter((op) => op === OPS.paintImageXObject || op === OPS.paintInlineImageXObject).length;
}

describe("names with emoji", () => {
  it("draws the emoji of an account name on the card instead of leaving its place blank", async () => {
    const withEmoji = await renderInput({ locale: "fi", accountName: "Rakettitiimi 🚀🔥 Oy" });
    const without = await renderInput({ locale: "fi", accountName: "Rakettitiimi Oy" });
    const card = await renderer.render("linkedin", withEmoji);
    const plain = await renderer.render("linkedin", without);
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(path.join(ARTIFACTS, "emoji-name-linkedin.png"), card.bytes);
    expect(withEmoji.copy.headline).toContain("🚀🔥");
    // The card's title is the subheadline here (the headline repeats the hero number), so the name
    // and its emoji are on the account line, in the brand colour: the emoji add their own colours.
    expect(colourfulHeadlinePixels(card.bytes) - colourfulHeadlinePixels(plain.bytes)).toBeGreaterThan(400);
  });

  it("keeps a joined emoji whole on the card: a technologist is one picture, not a woman and a laptop", async () => {
    const joined = await renderer.render("linkedin", await renderInput({ accountName: "Team 👩‍💻 Labs" }));
    const apart = await renderer.render("linkedin", await renderInput({ accountName: "Team 👩💻 Labs" }));
    expect(colourfulHeadlinePixels(joined.bytes)).toBeGreaterThan(300);
    expect(colourfulHeadlinePixels(joined.bytes)).toBeLessThan(colourfulHeadlinePixels(apart.bytes));
  });

  it("puts the emoji into the PDF as images from the npm package", async () => {
    const withEmoji = await renderer.render("pdf", await renderInput({ accountName: "Rakettitiimi 🚀🔥 Oy" }));
    const without = await renderer.render("pdf", await renderInput({ accountName: "Rakettitiimi Oy" }));
    await writeFile(path.join(ARTIFACTS, "emoji-name.pdf"), withEmoji.bytes);
    // The logo is an image in both; each emoji adds one where it is printed (account line or headline).
    expect(await imagesOnPdfPage(withEmoji.bytes)).toBeGreaterThanOrEqual((await imagesOnPdfPage(without.bytes)) + 2);
  });
});
