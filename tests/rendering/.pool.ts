import { createRenderer } from "../../src/rendering/renderer.js";
import { renderInput } from "./fixtures.js";

const input = await renderInput({ locale: "fi" });
let t = performance.now();
const r = createRenderer({ threads: 2 });
const a = await r.render("linkedin", input);
console.log("first", performance.now() - t, a.bytes.length, a.width, Buffer.isBuffer(a.bytes));
t = performance.now();
const all = await Promise.all(
  ["linkedin", "square", "story", "pdf", "linkedin", "square"].map((k) => r.render(k as "pdf", input)),
);
console.log("6 in", performance.now() - t);
try {
  await r.render("linkedin", { ...input, accountName: "漢字 🚀" });
} catch (e) {
  console.log((e as Error).name, (e as Error).message);
}
await r.close();
