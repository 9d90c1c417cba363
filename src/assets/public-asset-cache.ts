import { LRUCache } from "lru-cache";

export type CachedAsset = { bytes: Buffer; contentType: string };

/**
 * The bytes of public cards and PDFs that this process served recently, bounded by their total
 * size, so a viral card is read from PostgreSQL once, not on every view. It holds bytes only: the
 * route checks that a published recap shows the asset (one indexed query) before every answer,
 * hit or miss, so a take-down holds at once on every instance. Keys are content hashes, so
 * cached bytes are never stale; a replaced asset has a new key and the old one is dropped when
 * it is next refused, when an erasure forgets it, or when it is the least recently used.
 */
export type PublicAssetCache = {
  get(key: string): CachedAsset | undefined;
  set(key: string, asset: CachedAsset): void;
  /** Drops keys (an erasure, a refused request); unknown keys are ignored. */
  forget(keys: readonly string[]): void;
  readonly bytes: number;
};

export function createPublicAssetCache(maxBytes: number): PublicAssetCache {
  if (maxBytes <= 0) {
    return { get: () => undefined, set: () => {}, forget: () => {}, bytes: 0 };
  }
  const cache = new LRUCache<string, CachedAsset>({
    maxSize: maxBytes,
    sizeCalculation: (asset) => Math.max(1, asset.bytes.length),
  });
  return {
    get: (key) => cache.get(key),
    set(key, asset) {
      // An asset bigger than the whole cache is served from the store every time.
      if (asset.bytes.length <= maxBytes) cache.set(key, asset);
    },
    forget(keys) {
      for (const key of keys) cache.delete(key);
    },
    get bytes() {
      return cache.calculatedSize;
    },
  };
}
