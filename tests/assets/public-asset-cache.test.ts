import { describe, expect, it } from "vitest";
import { createPublicAssetCache } from "../../src/assets/public-asset-cache.js";
import { createCacheRegistry } from "../../src/sharing/link-cache.js";

const asset = (size: number, fill = 1) => ({ bytes: Buffer.alloc(size, fill), contentType: "image/png" });

describe("the public asset cache", () => {
  it("keeps at most its size in bytes, dropping the least recently used asset first", () => {
    const cache = createPublicAssetCache(300);
    cache.set("a", asset(100));
    cache.set("b", asset(100));
    cache.set("c", asset(100));
    cache.get("a");
    cache.set("d", asset(100));
    expect(cache.get("b")).toBeUndefined();
    expect(["a", "c", "d"].every((key) => cache.get(key) !== undefined)).toBe(true);
    expect(cache.bytes).toBe(300);
  });

  it("does not keep an asset bigger than the whole cache, and keeps nothing when its size is 0", () => {
    const small = createPublicAssetCache(100);
    small.set("big", asset(101));
    expect(small.get("big")).toBeUndefined();
    const off = createPublicAssetCache(0);
    off.set("a", asset(1));
    expect(off.get("a")).toBeUndefined();
  });

  it("forgets the keys an erasure names through the instance's cache registry", () => {
    const registry = createCacheRegistry();
    const cache = createPublicAssetCache(1000);
    registry.add(cache);
    cache.set("erased", asset(10));
    cache.set("kept", asset(10));
    registry.forget(["erased"]);
    expect(cache.get("erased")).toBeUndefined();
    expect(cache.get("kept")?.bytes.length).toBe(10);
  });
});
