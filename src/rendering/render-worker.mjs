// The file Piscina starts in each worker thread. A worker thread is plain Node: it cannot import
// TypeScript or JSX by itself, so this loader registers tsx (the same way bin/outcome-recap.js
// does for the CLI) and hands Piscina the real task from render-worker.ts. It works the same under
// `tsx`, the CLI and vitest, since it does not depend on the parent's loaders being inherited.
import { setPriority } from "node:os";
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

// Batch work yields the CPU to the requests the process (and the machine) serves: on Linux a
// thread's nice value is its own, so this lowers this thread only. Never fatal.
if (workerData?.nice) {
  try {
    setPriority(workerData.nice);
  } catch {}
}
register();
const { default: renderTask } = await import("./render-worker.ts");

export default renderTask;
