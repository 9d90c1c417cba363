import { createApp } from "../src/app.js";
import { createPublicAssetCache } from "../src/assets/public-asset-cache.js";
import { seedDemoUsage } from "../src/demo/demo-usage.js";
import { jobDefinitions } from "../src/jobs.js";
import { SCOPES } from "../src/platform/auth/scopes.js";
import { createApiKey } from "../src/platform/tenancy/api-keys.js";
import { createTenant } from "../src/platform/tenancy/tenants.js";
import { type BenchRow, benchDeps, percentile, timed } from "./support.js";

const REQUESTS = Number(process.env.BENCH_PUBLIC_ASSET_REQUESTS ?? 600);

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A published recap's LinkedIn card fetched again and again at its public address (what a viral
 * post does to it), through the whole app: the published-state check and the bytes from the
 * in-process cache. Baseline in the same run: GET /healthz through the same app, the cheapest
 * answer it gives. The same card with the cache turned off is printed beside the store's cost.
 * Requests alternate between the subjects one at a time, so the machine's noise falls on all alike.
 */
export async function benchPublicAsset(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  try {
    const tenant = await createTenant(deps.db, deps.queue, { name: "Bench", slug: "bench-public-asset" });
    const { key } = await createApiKey(deps.db, { tenantId: tenant.id, name: "bench", scopes: [...SCOPES] });
    await seedDemoUsage(deps, tenant.id);
    await deps.queue.work(jobDefinitions(deps));
    const app = createApp(deps);
    const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { etag: response.headers.get("etag") ?? "", body: (await response.json()) as Record<string, never> };
    };
    const created = await api("POST", "/v1/recaps", { account: "harbor-labs" });
    const id = String(created.body.id);
    const pending = await waitFor(
      () => api("GET", `/v1/recaps/${id}`),
      (recap) => recap.body.state === "pending_review",
    );
    const approved = await api("POST", `/v1/recaps/${id}/approve`, {}, { "if-match": pending.etag });
    await api("POST", `/v1/recaps/${id}/publish`, {}, { "if-match": approved.etag });
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
    await waitFor(
      async () =>
        deps.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job
          where name = 'recap.render' and state in ('created', 'retry', 'active')`,
      (rows) => rows[0]?.n === 0,
    );
    const path = new URL(card.publicUrl).pathname;
    const uncachedApp = createApp({ ...deps, publicAssets: createPublicAssetCache(0) });

    const subjects = [
      { name: "healthz", run: () => app.request("/healthz") },
      { name: "cached", run: () => app.request(path) },
      { name: "uncached", run: () => uncachedApp.request(path) },
      // The floor of the state check: one round trip to PostgreSQL on the same pool.
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
        baselineName: "one bare `select 1` round trip to PostgreSQL, p95 (the floor of the state check)",
        baselineValue: p95("select 1"),
        ratio: p95("select 1") / p95("cached"),
      },
      {
        name: "the same card with PUBLIC_ASSET_CACHE_MB=0 (bytes read from PostgreSQL), p95",
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
