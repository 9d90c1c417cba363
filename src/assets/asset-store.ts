import { eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import type { AssetKind } from "../rendering/rendering.types.js";
import { assets } from "./assets.schema.js";

export type AssetMeta = {
  key: string;
  tenantId: string;
  kind: AssetKind;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  renderMs: number | null;
};

/**
 * Where asset bytes live. PostgreSQL by default, so a fresh install needs nothing else; an
 * S3-compatible store implements the same three calls (the metadata row stays in PostgreSQL
 * either way, so routes and the render job do not change).
 */
export interface AssetStore {
  readonly name: string;
  /** Stores the bytes under the key; storing an existing key is a no-op (content-addressed). */
  put(meta: AssetMeta, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
}

export function postgresAssetStore(db: DbExecutor): AssetStore {
  return {
    name: "postgres",
    async put(meta, bytes) {
      await db
        .insert(assets)
        .values({ ...meta, storage: "postgres", bytes })
        .onConflictDoNothing({ target: assets.key });
    },
    async get(key) {
      const [row] = await db.select({ bytes: assets.bytes }).from(assets).where(eq(assets.key, key));
      return row?.bytes ?? null;
    },
    async exists(key) {
      const [row] = await db.select({ key: assets.key }).from(assets).where(eq(assets.key, key));
      return row !== undefined;
    },
  };
}
