import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { startThreadPoolHere } from "../rendering/renderer.js";
import type { DraftInput } from "./drafter.types.js";
import type { TemplateDrafting, TemplateDraftOptions, TemplateDraftResult } from "./template-drafting.js";

const WORKER = new URL("./template-drafting-worker.mjs", import.meta.url).href;

/**
 * Template drafting in a pool of worker threads (one per core unless `threads` says otherwise),
 * started on the first draft: an API-only process, a CLI command or a test that never drafts pays
 * nothing for it. Each thread loads the templates and the language detector once.
 */
export function pooledTemplateDrafting(
  options: { threads?: number; nice?: number } = {},
): TemplateDrafting & { threads: number } {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  let pool: Piscina<{ input: DraftInput; options: TemplateDraftOptions }, TemplateDraftResult> | null = null;
  return {
    threads,
    draft(input, draftOptions) {
      if (!pool && options.nice) startThreadPoolHere();
      pool ??= new Piscina({
        filename: WORKER,
        // Batch work: above 0, the threads yield the CPU to the requests the machine serves.
        workerData: { nice: options.nice ?? 0 },
        minThreads: threads,
        maxThreads: threads,
        // Keep the threads (and what they loaded) alive between closes.
        idleTimeout: Number.POSITIVE_INFINITY,
      });
      return pool.run({ input, options: draftOptions });
    },
    async close() {
      await pool?.destroy();
      pool = null;
    },
  };
}
