/**
 * A small TTL cache with LRU eviction, for the redirect's hot path: a hit answers without any I/O.
 * A miss calls `load` once (concurrent misses for the same key share the one call) and caches
 * the answer, including "no such link", for `ttlMs`. There is no cross-instance invalidation:
 * a recap unpublished elsewhere keeps redirecting for at most `ttlMs` (30 s by default).
 */
export type TtlCache<T> = {
  get(key: string): Promise<T | null>;
  /** The cached value if it is fresh; undefined on a miss (null is a cached "does not exist"). */
  peek(key: string): T | null | undefined;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
};

export function createTtlCache<T>(options: {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
  load(key: string): Promise<T | null>;
}): TtlCache<T> {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: T | null; expires: number }>();
  const loading = new Map<string, Promise<T | null>>();

  function peek(key: string): T | null | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now()) {
      entries.delete(key);
      return undefined;
    }
    // Move to the end: Map iteration order is the LRU order.
    entries.delete(key);
    entries.set(key, entry);
    return entry.value;
  }

  return {
    peek,
    get(key) {
      const hit = peek(key);
      if (hit !== undefined) return Promise.resolve(hit);
      const pending = loading.get(key);
      if (pending) return pending;
      const load = options
        .load(key)
        .then((value) => {
          if (options.ttlMs > 0) {
            entries.set(key, { value, expires: now() + options.ttlMs });
            while (entries.size > maxEntries) {
              const oldest = entries.keys().next().value;
              if (oldest === undefined) break;
              entries.delete(oldest);
            }
          }
          return value;
        })
        .finally(() => loading.delete(key));
      loading.set(key, load);
      return load;
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
