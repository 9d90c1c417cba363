import { and, eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import type { RecapState } from "../recaps/recaps.schema.js";
import { recaps } from "../recaps/recaps.schema.js";
import type { AssetKind } from "../rendering/rendering.types.js";
import { assets, recapAssets } from "./assets.schema.js";

export type RecapAssetRow = {
  kind: AssetKind;
  key: string;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  recapVersion: number;
};

export async function listRecapAssets(db: DbExecutor, recapId: string): Promise<RecapAssetRow[]> {
  return db
    .select({
      kind: recapAssets.kind,
      key: assets.key,
      contentType: assets.contentType,
      byteSize: assets.byteSize,
      width: assets.width,
      height: assets.height,
      recapVersion: recapAssets.recapVersion,
    })
    .from(recapAssets)
    .innerJoin(assets, eq(assets.key, recapAssets.assetKey))
    .where(eq(recapAssets.recapId, recapId));
}

/** The bytes of an asset that belongs to the tenant, or null. */
export async function tenantAssetBytes(db: DbExecutor, tenantId: string, key: string) {
  const [row] = await db
    .select({ bytes: assets.bytes, contentType: assets.contentType })
    .from(assets)
    .where(and(eq(assets.key, key), eq(assets.tenantId, tenantId)));
  return row ?? null;
}

/**
 * The recaps that show an asset, with their state and whether the asset was rendered for the
 * recap's current version: what decides whether it may be served publicly.
 */
export async function publicAssetStates(
  db: DbExecutor,
  key: string,
): Promise<{ state: RecapState; current: boolean }[]> {
  const rows = await db
    .select({ state: recaps.state, version: recaps.version, renderedFor: recapAssets.recapVersion })
    .from(recapAssets)
    .innerJoin(recaps, eq(recaps.id, recapAssets.recapId))
    .where(eq(recapAssets.assetKey, key));
  return rows.map((row) => ({ state: row.state, current: row.renderedFor === row.version }));
}

/**
 * The bytes behind a public asset address, whatever the tenant: only called once
 * publicAssetStates has shown that a published recap shows this asset.
 */
export async function publishedAssetBytes(db: DbExecutor, key: string) {
  const [row] = await db
    .select({ bytes: assets.bytes, contentType: assets.contentType })
    .from(assets)
    .where(eq(assets.key, key));
  return row ?? null;
}
