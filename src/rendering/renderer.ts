import { access } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { DEFAULT_RASTERIZER, type Rasterizer } from "./card-png.js";
import { GlyphCoverageError } from "./glyph-coverage.js";
import { renderAsset } from "./render-asset.js";
import type { RenderTask, RenderTaskResult } from "./render-worker.js";
import type { Renderer, RenderPriority } from "./rendering.types.js";

/**
 * The renderer the service uses: satori, the rasteriser and react-pdf are CPU-bound for tens to
 * hundreds of milliseconds per asset, so they run in a pool of worker threads (one per core by
 * default) and the HTTP event loop only posts a task and receives the bytes.
 */
export type RendererOptions = {
  /** Worker threads; defaults to the cores Node may use. */
  threads?: number;
  rasterizer?: Rasterizer;
  /**
   * The threads' OS priority (nice, 0–19): render jobs are batch work, and above 0 they yield the
   * CPU to the requests the machine serves. A preview rendered meanwhile waits longer.
   */
  nice?: number;
};

/** The pooled renderer, with what tests and the benchmark want to know about the pool. */
export type PooledRenderer = Renderer & {
  readonly threads: number;
  /** Worker threads that have rendered something so far. */
  usedThreads(): ReadonlySet<number>;
};

const WORKER = new URL("./render-worker.mjs", import.meta.url).href;

/**
 * Makes sure libuv's thread pool (files, DNS, crypto, zlib) is started by this thread before a
 * worker thread lowers its own priority: the pool is spawned by whichever thread first needs it,
 * and its threads would inherit that thread's nice value, slowing the whole process's I/O.
 */
export function startThreadPoolHere(): void {
  access(fileURLToPath(import.meta.url), () => {});
}

export function createRenderer(options: RendererOptions = {}): PooledRenderer {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const rasterizer = options.rasterizer ?? DEFAULT_RASTERIZER;
  // sharp asks to be loaded on the main thread before any worker uses it (glibc unload order).
  if (rasterizer === "sharp") createRequire(import.meta.url)("sharp");
  if (options.nice) startThreadPoolHere();
  const pool = new Piscina<RenderTask, RenderTaskResult>({
    filename: WORKER,
    workerData: { nice: options.nice ?? 0 },
    minThreads: threads,
    maxThreads: threads,
    // Keep the threads (and their parsed fonts) alive between renders.
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  const used = new Set<number>();
  const lanes = renderLanes(threads);
  return {
    threads,
    usedThreads: () => used,
    async render(kind, input, options) {
      await lanes.take(options?.priority ?? "interactive");
      const result = await pool.run({ kind, input, rasterizer }).finally(lanes.release);
      used.add(result.threadId);
      if (!result.ok) throw new GlyphCoverageError(result.glyphs.locale, result.glyphs.missing);
      // Structured cloning turns the worker's Buffer into a plain Uint8Array: wrap it, no copy.
      const { bytes } = result.asset;
      return { ...result.asset, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    },
    async close() {
      await pool.destroy();
    },
  };
}

/**
 * At most one render per thread is handed to the pool; the rest wait here in two lanes, and a
 * freed thread goes to the oldest interactive render before any background one. (The pool's own
 * queue is first come, first served: a reviewer's preview would wait behind every card of a bulk
 * approval's render jobs.)
 */
function renderLanes(threads: number) {
  const waiting: Record<RenderPriority, (() => void)[]> = { interactive: [], background: [] };
  let running = 0;
  return {
    take(priority: RenderPriority): Promise<void> {
      if (running < threads) {
        running++;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting[priority].push(resolve));
    },
    release() {
      // The slot passes straight to the next render, so `running` stays as it is.
      const next = waiting.interactive.shift() ?? waiting.background.shift();
      if (next) next();
      else running--;
    },
  };
}

/**
 * The same rendering on the calling thread, without a pool: for the CLI's one-off renders, tests
 * of the templates and the benchmark's baseline. It blocks the event loop while it renders, so
 * never use it in the server.
 */
export function createInProcessRenderer(options: Pick<RendererOptions, "rasterizer"> = {}): Renderer {
  return {
    render: (kind, input) => renderAsset(kind, input, options),
    async close() {},
  };
}
