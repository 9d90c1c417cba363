import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlyphCoverageError } from "../../src/rendering/glyph-coverage.js";
import { createInProcessRenderer, createRenderer, type PooledRenderer } from "../../src/rendering/renderer.js";
import type { AssetKind, RenderInput } from "../../src/rendering/rendering.types.js";
import { loweredThreads } from "../support/thread-nice.js";
import { renderInput } from "./fixtures.js";

/**
 * The worker pool under vitest: the worker threads load TypeScript through tsx on their own, render
 * side by side, and the test's own event loop keeps ticking while they do.
 */
let pool: PooledRenderer;
let input: RenderInput;

beforeAll(async () => {
  pool = createRenderer({ threads: 2, nice: 7 });
  input = await renderInput({ locale: "sv", theme: "bold" });
  // Start-up (tsx, fonts) is not what is being measured.
  await Promise.all([pool.render("linkedin", input), pool.render("linkedin", input)]);
});

afterAll(async () => {
  await pool.close();
});

describe("the render pool", () => {
  it("renders every kind concurrently on more than one thread", async () => {
    const kinds: AssetKind[] = ["linkedin", "square", "story", "pdf", "story", "square"];
    const assets = await Promise.all(kinds.map((kind) => pool.render(kind, input)));
    expect(assets.map((asset) => asset.kind)).toEqual(kinds);
    expect(assets.every((asset) => Buffer.isBuffer(asset.bytes) && asset.bytes.length > 10_000)).toBe(true);
    expect(pool.threads).toBe(2);
    expect(pool.usedThreads().size).toBe(2);
  });

  it("runs its threads at the nice value it was given, and leaves the rest of the process as it was", () => {
    expect(loweredThreads(7)).toEqual({ workers: 2, others: [] });
  });

  it("keeps the event loop responsive while it renders", async () => {
    // What one render costs when it runs on this thread instead: the stall the pool avoids.
    const inline = createInProcessRenderer();
    await inline.render("story", input);
    const started = performance.now();
    await inline.render("story", input);
    const oneRender = performance.now() - started;

    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await Promise.all(Array.from({ length: 8 }, () => pool.render("story", input)));
    delay.disable();
    const maxLag = delay.max / 1e6;
    expect(maxLag).toBeLessThan(oneRender / 2);
  });

  it("gives a freed thread to a waiting preview before the render job's backlog", async () => {
    const finished: string[] = [];
    const render = (label: string, priority: "interactive" | "background") =>
      pool.render("linkedin", input, { priority }).then(() => finished.push(label));
    const backlog = Array.from({ length: 6 }, (_, index) => render(`job ${index}`, "background"));
    // Asked for after the whole backlog: first come, first served would finish it last.
    const preview = render("preview", "interactive");
    await Promise.all([...backlog, preview]);
    expect(finished).toHaveLength(7);
    // It takes the first thread freed: the two renders already on the threads finish before it,
    // and at most the one started beside it on the other thread (renders vary in length).
    expect(finished.indexOf("preview")).toBeLessThanOrEqual(3);
  });

  it("rejects text it has no glyphs for with a GlyphCoverageError from the worker", async () => {
    const error = await pool.render("square", { ...input, accountName: "株式会社 🚀" }).catch((caught) => caught);
    expect(error).toBeInstanceOf(GlyphCoverageError);
    expect(error.locale).toBe("sv");
    // The rocket is drawn (a Twemoji image); the Japanese letters have no font.
    expect(error.missing).toEqual([{ field: "accountName", chars: ["株", "式", "会", "社"] }]);
  });
});
