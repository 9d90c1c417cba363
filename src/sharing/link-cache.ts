/**
 * A small TTL cache with LRU eviction, for the redirect's hot path: a hit answers without any I/O.
 * A miss calls `load` once (concurrent misses for the same key share the one call) and caches
 * the answer, including "no such link", for `ttlMs`. There is no cross-instance invalidation:
 * a recap unpublished elsewhere keeps redirecting for at most `ttlMs` (30 s by default). Within
 * one instance, its CacheRegistry (in deps) drops codes at once (account erasure uses it).
 */
export type TtlCache<T> = {
  get(key: string): Promise<T | null>;
  /** The cached value if it is fresh; undefined on a miss (null is a cached "does not exist"). */
  peek(key: string): T | null | undefined;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
};

/**
 * The caches of one service instance (one Deps), so a change that no request made (an erasure)
 * can reach them all. Lives in deps, not in a module: two apps in one process (tests) keep apart.
 */
export type CacheRegistry = {
  /**
   * Drops `keys` from every registered cache at once, including answers still loading (they were
   * read before the change and are not cached). Other instances keep theirs until the TTL ends.
   */
  forget(keys: readonly string[]): void;
  add(cache: { forget(keys: readonly string[]): void }): void;
};

export function createCacheRegistry(): CacheRegistry {
  const liveCaches = new Set<WeakRef<{ forget(keys: readonly string[]): void }>>();
  return {
    forget(keys) {
      for (const ref of liveCaches) {
        const cache = ref.deref();
        if (cache) cache.forget(keys);
        else liveCaches.delete(ref);
      }
    },
    // Weak: a cache (an app) that is dropped is not kept alive by the registry.
    add: (cache) => void liveCaches.add(new WeakRef(cache)),
  };
}

export function createTtlCache<T>(options: {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
  load(key: string): Promise<T | null>;
  /** Where an erasure finds this cache to forget codes in it. */
  registry?: CacheRegistry;
}): TtlCache<T> {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: T | null; expires: number }>();
  const loading = new Map<string, Promise<T | null>>();
  /** The most recently used key (the Map's last), so a hit on it need not move it. */
  let newest: string | undefined;
  /** Bumped by forget: a load that started before it may have read the old row. */
  let generation = 0;

  function forget(keys: readonly string[]) {
    generation++;
    for (const key of keys) {
      entries.delete(key);
      loading.delete(key);
    }
  }

  function peek(key: string): T | null | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now()) {
      entries.delete(key);
      return undefined;
    }
    // Move to the end: Map iteration order is the LRU order. A hot code is usually the newest
    // already, and re-inserting it on every click would churn the Map for nothing.
    if (key !== newest) {
      entries.delete(key);
      entries.set(key, entry);
      newest = key;
    }
    return entry.value;
  }

  const cache = {
    peek,
    forget,
    get(key: string) {
      const hit = peek(key);
      if (hit !== undefined) return Promise.resolve(hit);
      const pending = loading.get(key);
      if (pending) return pending;
      const startedAt = generation;
      const load = options
        .load(key)
        .then((value) => {
          if (options.ttlMs > 0 && startedAt === generation) {
            entries.set(key, { value, expires: now() + options.ttlMs });
            newest = key;
            while (entries.size > maxEntries) {
              const oldest = entries.keys().next().value;
              if (oldest === undefined) break;
              entries.delete(oldest);
            }
          }
          return value;
        })
        .finally(() => {
          if (loading.get(key) === load) loading.delete(key);
        });
      loading.set(key, load);
      return load;
    },
    delete: (key: string) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
  options.registry?.add(cache);
  return cache;
}
