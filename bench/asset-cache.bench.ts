import { tenantAssetBytes } from "../src/assets/asset-queries.js";
import { ensureAsset } from "../src/assets/render-assets.js";
import { createTenant } from "../src/platform/tenancy/tenants.js";
import { renderInput } from "../tests/rendering/fixtures.js";
import { type BenchRow, benchDeps, percentile, timed } from "./support.js";

const ROUNDS = 40;

/**
 * A repeat request for an asset that exists: the content key is computed, found, and the bytes
 * read back, with no render. Baseline: rendering the same card (worker pool) in the same run.
 */
export async function benchAssetCache(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  try {
    const tenant = await createTenant(deps.db, deps.queue, { name: "Bench", slug: "bench-assets" });
    const input = await renderInput();
    const renders: number[] = [];
    for (let round = 0; round < 8; round++) {
      renders.push((await timed(() => deps.renderer.render("linkedin", input))).ms);
    }
    const key = await ensureAsset(deps, tenant.id, "linkedin", input);
    const cached: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { ms } = await timed(async () => {
        const again = await ensureAsset(deps, tenant.id, "linkedin", input);
        if (again !== key) throw new Error("the same input gave another key");
        await tenantAssetBytes(deps.db, tenant.id, key);
      });
      cached.push(ms);
    }
    const renderP95 = percentile(renders.slice(2), 95);
    const cachedP95 = percentile(cached, 95);
    return [
      {
        name: "cached repeat of a rendered LinkedIn card (key + lookup + bytes), p95",
        value: Math.round(cachedP95 * 10) / 10,
        unit: "ms",
        baselineName: "rendering it again (pool), p95",
        baselineValue: Math.round(renderP95 * 10) / 10,
        ratio: renderP95 / cachedP95,
      },
    ];
  } finally {
    await close();
  }
}
