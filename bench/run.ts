import os from "node:os";
import { benchAssetCache } from "./asset-cache.bench.js";
import { benchCloseKill } from "./close-kill.bench.js";
import { benchDigestScale } from "./digest-scale.bench.js";
import { benchDrafting } from "./drafting.bench.js";
import { benchErasure } from "./erasure.bench.js";
import { benchIngest } from "./ingest.bench.js";
import { benchPublicAsset } from "./public-asset.bench.js";
import { benchQuarterClose } from "./quarter-close.bench.js";
import { benchRedirect } from "./redirect.bench.js";
import { benchRender } from "./render.bench.js";
import { benchSegment } from "./segment.bench.js";
import type { BenchRow } from "./support.js";

/** Every benchmark, one table: each figure beside its baseline from the same run, and the ratio. */
const BENCHES: Record<string, () => Promise<BenchRow[]>> = {
  ingest: benchIngest,
  "digest-scale": benchDigestScale,
  drafting: benchDrafting,
  render: benchRender,
  "asset-cache": benchAssetCache,
  "public-asset": benchPublicAsset,
  redirect: benchRedirect,
  erasure: benchErasure,
  segment: benchSegment,
  "quarter-close": benchQuarterClose,
  "close-kill": benchCloseKill,
};

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, run] of Object.entries(BENCHES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await run()));
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(
  `\nMachine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log("| Benchmark | Figure | Baseline (same run) | Ratio | Aim |");
console.log("| --- | --- | --- | --- | --- |");
for (const row of rows) {
  console.log(
    `| ${row.name} | ${row.value.toLocaleString("en")} ${row.unit} | ${row.baselineName}: ${row.baselineValue.toLocaleString("en")} ${row.unit} | ${row.ratio.toFixed(2)} | ${row.aim ?? ""} |`,
  );
}
process.exit(0);
