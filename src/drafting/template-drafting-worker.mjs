// The file Piscina starts in each drafting thread. A worker thread is plain Node: it cannot import
// TypeScript by itself, so this loader registers tsx (as render-worker.mjs does for the render
// threads) and hands Piscina the real task from template-drafting.ts.
import { setPriority } from "node:os";
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

// As in render-worker.mjs: drafting is batch work and yields the CPU to requests (this thread only).
if (workerData?.nice) {
  try {
    setPriority(workerData.nice);
  } catch {}
}
register();
const { draftWithTemplates } = await import("./template-drafting.ts");

export default function draftTask({ input, options }) {
  return draftWithTemplates(input, options);
}
