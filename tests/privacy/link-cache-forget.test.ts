import { describe, expect, it } from "vitest";
import { createCacheRegistry, createTtlCache } from "../../src/sharing/link-cache.js";

describe("forgetting cached share codes", () => {
  it("drops the keys from every cache of the process and leaves other keys cached", async () => {
    let loads = 0;
    const registry = createCacheRegistry();
    const make = () =>
      createTtlCache<string>({
        registry,
        ttlMs: 60_000,
        load: async (key) => {
          loads++;
          return key.toUpperCase();
        },
      });
    const first = make();
    const second = make();
    await Promise.all([first.get("gone"), first.get("kept"), second.get("gone")]);
    registry.forget(["gone"]);
    expect(first.peek("gone")).toBeUndefined();
    expect(second.peek("gone")).toBeUndefined();
    expect(first.peek("kept")).toBe("KEPT");
    expect(loads).toBe(3);
  });

  it("does not cache an answer that was loading while its key was forgotten", async () => {
    const answers = ["before erasure", "after erasure"];
    let finishFirstLoad = () => {};
    const registry = createCacheRegistry();
    const cache = createTtlCache<string>({
      registry,
      ttlMs: 60_000,
      load: (key) => {
        const answer = answers.shift() ?? key;
        if (answer !== "before erasure") return Promise.resolve(answer);
        return new Promise((resolve) => {
          finishFirstLoad = () => resolve(answer);
        });
      },
    });
    const stale = cache.get("code");
    registry.forget(["code"]);
    finishFirstLoad();
    expect(await stale).toBe("before erasure"); // the request that asked first still gets its answer
    expect(cache.peek("code")).toBeUndefined();
    expect(await cache.get("code")).toBe("after erasure");
  });
});
