import { and, eq, sql } from "drizzle-orm";
import type { Deps } from "../deps.js";
import type { Database } from "../platform/db/client.js";
import { ASSET_KINDS, type AssetKind, type RenderInput, type RenderPriority } from "../rendering/rendering.types.js";
import { assetKey } from "./asset-key.js";
import { postgresAssetStore } from "./asset-store.js";
import { recapAssets } from "./assets.schema.js";

export type RenderDeps = Pick<Deps, "db" | "renderer" | "clock" | "metrics">;

/**
 * The asset for a kind and input, rendered only if its key is new. A transaction-scoped advisory
 * lock on the key makes concurrent renders of the same key (a retried job beside a reviewer's
 * preview, two workers) wait for the first one instead of rendering twice.
 */
export async function ensureAsset(
  deps: RenderDeps,
  tenantId: string,
  kind: AssetKind,
  input: RenderInput,
  priority: RenderPriority = "interactive",
): Promise<string> {
  const key = assetKey(tenantId, kind, input);
  const store = postgresAssetStore(deps.db);
  if (await store.exists(key)) return key;
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`asset:${key}`}, 0))`);
    const lockedStore = postgresAssetStore(tx);
    if (await lockedStore.exists(key)) return;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const rendered = await deps.renderer.render(kind, input, { priority }).catch((error: unknown) => {
      deps.metrics.observeRender({ kind, outcome: "error", seconds: seconds() });
      throw error;
    });
    deps.metrics.observeRender({ kind, outcome: "ok", seconds: seconds() });
    await lockedStore.put(
      {
        key,
        tenantId,
        kind,
        contentType: rendered.contentType,
        byteSize: rendered.bytes.length,
        width: rendered.width,
        height: rendered.height,
        renderMs: Math.round(performance.now() - started),
      },
      rendered.bytes,
    );
  });
  return key;
}

/** Renders every kind for a recap version and points the recap at the results. Idempotent. */
export async function renderRecapAssets(
  deps: RenderDeps,
  recap: { id: string; tenantId: string; version: number },
  input: RenderInput,
  priority: RenderPriority = "interactive",
): Promise<Record<AssetKind, string>> {
  const keys = {} as Record<AssetKind, string>;
  for (const kind of ASSET_KINDS) {
    const key = await ensureAsset(deps, recap.tenantId, kind, input, priority);
    keys[kind] = key;
    await deps.db
      .insert(recapAssets)
      .values({ recapId: recap.id, kind, assetKey: key, recapVersion: recap.version, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({
        target: [recapAssets.recapId, recapAssets.kind],
        set: { assetKey: key, recapVersion: recap.version, updatedAt: deps.clock.now() },
        // Never let a slow, older render overwrite the assets of a newer version.
        setWhere: sql`${recapAssets.recapVersion} <= ${recap.version}`,
      });
  }
  return keys;
}

export async function recapAssetRows(db: Database, recapId: string) {
  return db
    .select()
    .from(recapAssets)
    .where(and(eq(recapAssets.recapId, recapId)));
}
