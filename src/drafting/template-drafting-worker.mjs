// The file Piscina starts in each drafting thread. A worker thread is plain Node: it cannot import
// TypeScript by itself, so this loader registers tsx (as render-worker.mjs does for the render
// threads) and hands Piscina the real task from template-drafting.ts.
import { register } from "tsx/esm/api";

register();
const { draftWithTemplates } = await import("./template-drafting.ts");

export default function draftTask({ input, options }) {
  return draftWithTemplates(input, options);
}
