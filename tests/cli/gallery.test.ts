import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GalleryResult, renderGallery } from "../../src/cli/gallery-command.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The gallery command's function called in this process (a spawned tsx per command is slow), on a
 * subset: one example, two languages, both themes. The command itself uses the worker pool; here
 * the in-process renderer draws the same assets without starting threads.
 */
let dir: string;
let result: GalleryResult;
let html: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "gallery-"));
  result = await renderGallery({
    out: dir,
    inputs: [path.join(ROOT, "examples", "kide-analytics.fi.json")],
    locales: ["en", "fi"],
    renderer: createInProcessRenderer(),
  });
  html = await readFile(path.join(dir, "index.html"), "utf8");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the gallery command", () => {
  it("renders every size and the PDF for each language and theme of the example", () => {
    expect(result.renders).toBe(2 * 2 * 4);
    const images = result.sections.flatMap((section) => section.images);
    expect(images.map((image) => `${image.locale}-${image.theme}-${image.kind}`).sort()).toEqual(
      ["en", "fi"].flatMap((locale) =>
        ["bold", "classic"].flatMap((theme) =>
          ["linkedin", "pdf", "square", "story"].map((kind) => `${locale}-${theme}-${kind}`),
        ),
      ),
    );
  });

  it("writes PNGs that decode at each card's size, and the PDF's page as a picture", async () => {
    const sizes = { linkedin: [1200, 627], square: [1080, 1080], story: [1080, 1920], pdf: [600, 849] };
    for (const image of result.sections.flatMap((section) => section.images)) {
      const png = PNG.sync.read(await readFile(path.join(dir, image.png)));
      expect([png.width, png.height], image.png).toEqual(sizes[image.kind]);
    }
    const pdf = result.sections[0]?.images.find((image) => image.kind === "pdf")?.pdf;
    expect((await readFile(path.join(dir, pdf ?? "missing"))).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("shows every image in index.html, a row per language and a column per size and theme", () => {
    for (const image of result.sections.flatMap((section) => section.images)) {
      expect(html).toContain(`src="${image.png}"`);
      if (image.pdf) expect(html).toContain(`href="${image.pdf}"`);
    }
    expect(html.match(/<tr><th class="locale">/g)).toHaveLength(2);
    expect(html).toContain("<th>story · bold</th>");
    expect(html).toContain("Kide Analytics Oy");
  });
});
