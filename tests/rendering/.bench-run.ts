import { benchRender } from "../../bench/render.bench.js";
const rows = await benchRender();
for (const r of rows) console.log(`| ${r.name} | ${r.value} ${r.unit} | ${r.baselineName}: ${r.baselineValue} ${r.unit} | ${r.ratio.toFixed(2)} | ${r.aim ?? ""} |`);
process.exit(0);
