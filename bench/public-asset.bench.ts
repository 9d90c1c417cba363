import { createApp } from "../src/app.js";
import { createPublicAssetCache } from "../src/assets/public-asset-cache.js";
import { createPublicVerdicts } from "../src/assets/public-verdicts.js";
import { type BenchRow, benchDeps, percentile, publishedBenchRecap, timed, waitFor } from "./support.js";

const REQUESTS = Number(process.env.BENCH_PUBLIC_ASSET_REQUESTS ?? 600);

/**
 * A published recap's LinkedIn card fetched again and again at its public address (what a viral
 * post does to it), through the whole app: the published state and the bytes from this process's
 * memory (public-verdicts.ts, public-asset-cache.ts). Baseline in the same run: GET /healthz through the same app, the cheapest
 * answer it gives. The same card with the cache turned off is printed beside the store's cost.
 * Requests alternate between the subjects one at a time, so the machine's noise falls on all alike.
 */
export async function benchPublicAsset(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  try {
    const { app, api, id, rendersDone } = await publishedBenchRecap(deps, {
      name: "Bench",
      slug: "bench-public-asset",
    });
    const list = await waitFor(
      () => api("GET", `/v1/recaps/${id}/assets`),
      (assets) =>
        (assets.body.data as unknown as { kind: string; publicUrl: string | null }[]).some(
          (asset) => asset.kind === "linkedin" && asset.publicUrl,
        ),
    );
    const card = (list.body.data as unknown as { kind: string; publicUrl: string }[]).find(
      (asset) => asset.kind === "linkedin",
    );
    if (!card?.publicUrl) throw new Error("the card was not published");
    // Publication renders the cards again on worker threads: let that finish, so the measurement
    // does not share the two cores with a render.
    await rendersDone();
    const path = new URL(card.publicUrl).pathname;
    // The same app asking the database whether the recap is still published on every request
    // (PUBLIC_ASSET_VERDICT_SECONDS=0), and one that also reads the bytes every time.
    const askEveryTime = createPublicVerdicts({ sql: deps.sql, clock: deps.clock, log: deps.log, maxAgeMs: 0 });
    const checkedApp = createApp({ ...deps, publicVerdicts: askEveryTime });
    const uncachedApp = createApp({ ...deps, publicVerdicts: askEveryTime, publicAssets: createPublicAssetCache(0) });

    const subjects = [
      { name: "healthz", run: () => app.request("/healthz") },
      { name: "cached", run: () => app.request(path) },
      { name: "checked", run: () => checkedApp.request(path) },
      { name: "uncached", run: () => uncachedApp.request(path) },
      // What one state check costs at the least: one round trip to PostgreSQL on the same pool.
      {
        name: "select 1",
        run: async () => {
          await deps.sql`select 1`;
          return new Response("ok");
        },
      },
    ];
    const times = new Map<string, number[]>(subjects.map((subject) => [subject.name, []]));
    for (let round = 0; round < REQUESTS + 50; round++) {
      for (const subject of subjects) {
        const { ms, result } = await timed(async () => {
          const response = await subject.run();
          await response.arrayBuffer();
          return response.status;
        });
        if (result !== 200) throw new Error(`${subject.name} answered ${result}`);
        // The first 50 rounds warm the code paths (and the cache) up.
        if (round >= 50) times.get(subject.name)?.push(ms);
      }
    }
    const p95 = (name: string) => Math.round(percentile(times.get(name) ?? [], 95) * 100) / 100;
    return [
      {
        name: `repeated public LinkedIn card GET /assets/<key>.png, p95 of ${REQUESTS}`,
        value: p95("cached"),
        unit: "ms",
        baselineName: "GET /healthz through the same app, p95",
        baselineValue: p95("healthz"),
        ratio: p95("healthz") / p95("cached"),
        aim: "≥ 0.5 (within 2×)",
      },
      {
        name: "the same repeated card, p95",
        value: p95("cached"),
        unit: "ms",
        baselineName: "one bare `select 1` round trip to PostgreSQL, p95 (what asking the database costs at least)",
        baselineValue: p95("select 1"),
        ratio: p95("select 1") / p95("cached"),
      },
      {
        name: "the same card with PUBLIC_ASSET_VERDICT_SECONDS=0 (published state asked every time), p95",
        value: p95("checked"),
        unit: "ms",
        baselineName: "GET /healthz, p95",
        baselineValue: p95("healthz"),
        ratio: p95("healthz") / p95("checked"),
      },
      {
        name: "the same card with both off (state asked, bytes read from PostgreSQL), p95",
        value: p95("uncached"),
        unit: "ms",
        baselineName: "GET /healthz, p95",
        baselineValue: p95("healthz"),
        ratio: p95("healthz") / p95("uncached"),
      },
    ];
  } finally {
    await close();
  }
}
