// The file Piscina starts in each worker thread. A worker thread is plain Node: it cannot import
// TypeScript or JSX by itself, so this loader registers tsx (the same way bin/outcome-recap.js
// does for the CLI) and hands Piscina the real task from render-worker.ts. It works the same under
// `tsx`, the CLI and vitest, since it does not depend on the parent's loaders being inherited.
import { register } from "tsx/esm/api";

register();
const { default: renderTask } = await import("./render-worker.ts");

export default renderTask;
