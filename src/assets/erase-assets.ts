import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { assets, recapAssets } from "./assets.schema.js";

/**
 * How old an unreferenced asset must be before the sweep deletes it as render cache. A render of
 * another recap writes its asset a moment before it points the recap at it (or serves it as a
 * preview); the grace keeps the sweep from pulling that asset out from under it.
 */
const RENDER_CACHE_GRACE = sql`interval '1 minute'`;
const SWEEP_BATCH = 500;

const unreferenced = sql`not exists (select 1 from ${recapAssets} where ${recapAssets.assetKey} = ${assets.key})`;

/** The assets the recaps show, read before the recaps go (their recap_assets rows cascade). */
export async function assetKeysOfRecaps(db: DbExecutor, recapIds: string[]): Promise<string[]> {
  if (recapIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ key: recapAssets.assetKey })
    .from(recapAssets)
    .where(inArray(recapAssets.recapId, recapIds));
  return rows.map((row) => row.key);
}

/**
 * Deletes up to `limit` of the tenant's unreferenced assets matching `where`. Two statements in
 * one transaction (a savepoint inside the caller's): the first locks the candidates, skipping rows
 * a render is pointing a recap at right now, so no new reference can appear; the second re-checks
 * with a fresh snapshot that none appeared before the lock, then deletes.
 */
async function deleteLockedUnreferenced(db: DbExecutor, tenantId: string, where: SQL, limit?: number) {
  return db.transaction(async (tx) => {
    const candidates = tx
      .select({ key: assets.key })
      .from(assets)
      .where(and(eq(assets.tenantId, tenantId), where, unreferenced));
    const locked = await (limit ? candidates.limit(limit) : candidates).for("update", { skipLocked: true });
    if (locked.length === 0) return { locked: 0, deleted: 0 };
    const keys = locked.map((row) => row.key);
    const deleted = await tx
      .delete(assets)
      .where(and(eq(assets.tenantId, tenantId), inArray(assets.key, keys), unreferenced))
      .returning({ key: assets.key });
    return { locked: locked.length, deleted: deleted.length };
  });
}

/**
 * Deletes the given assets unless a recap still shows them: keys are content addresses, so two
 * recaps (of the same account, with the same content) may share one.
 */
export async function deleteAssetsIfUnreferenced(db: DbExecutor, tenantId: string, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  return (await deleteLockedUnreferenced(db, tenantId, inArray(assets.key, keys))).deleted;
}

/**
 * Deletes the tenant's render cache: assets no recap shows (reviewer previews, earlier versions,
 * the other theme), past the grace. Every one of them carries some account's name and numbers and
 * nothing records whose, so sweeping them all is the only way an erased account's previews go
 * too; the others are rendered again when next previewed. Short batches, each its own
 * transaction, so a large first sweep holds no long lock.
 */
export async function sweepRenderCache(db: DbExecutor, tenantId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await deleteLockedUnreferenced(
      db,
      tenantId,
      sql`${assets.createdAt} < now() - ${RENDER_CACHE_GRACE}`,
      SWEEP_BATCH,
    );
    total += batch.deleted;
    if (batch.locked < SWEEP_BATCH) return total;
  }
}
