import { describe, expect, it } from "vitest";
import { classifyRequest } from "../../src/sharing/bot-detection.js";
import { referrerHost } from "../../src/sharing/click-request.js";
import { createTtlCache } from "../../src/sharing/link-cache.js";
import { newShareCode, SHARE_CODE_PATTERN } from "../../src/sharing/share-code.js";
import { shareLabels } from "../../src/sharing/share-labels.js";
import { signupLocation } from "../../src/sharing/share-links.js";
import { dailySalt, hourBucket, visitorHash } from "../../src/sharing/visitor.js";

describe("sharing building blocks", () => {
  it("makes distinct 12-character base62 codes", () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newShareCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(SHARE_CODE_PATTERN);
  });

  it("tells preview fetchers, HEAD, command-line clients and empty agents from browsers", () => {
    const browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    expect(classifyRequest({ method: "GET", userAgent: browser })).toEqual({
      isBot: false,
      reason: null,
      previewFetcher: null,
    });
    expect(classifyRequest({ method: "HEAD", userAgent: browser }).reason).toBe("head");
    expect(classifyRequest({ method: "GET", userAgent: "TelegramBot (like TwitterBot)" }).reason).toBe(
      "preview:telegram",
    );
    expect(classifyRequest({ method: "GET", userAgent: "facebookexternalhit/1.1" }).reason).toBe("preview:facebook");
    expect(classifyRequest({ method: "GET", userAgent: "WhatsApp/2.23.20.0" }).reason).toBe("preview:whatsapp");
    expect(classifyRequest({ method: "GET", userAgent: "Mozilla/5.0 (compatible; Discordbot/2.0)" }).reason).toBe(
      "preview:discord",
    );
    expect(classifyRequest({ method: "GET", userAgent: "curl/8.5.0" }).reason).toBe("user_agent");
    expect(classifyRequest({ method: "GET", userAgent: "" }).reason).toBe("no_user_agent");
  });

  it("keeps only the referrer's host", () => {
    expect(referrerHost("https://www.LinkedIn.com/feed/?token=abc")).toBe("www.linkedin.com");
    expect(referrerHost("not a url")).toBeNull();
    expect(referrerHost(undefined)).toBeNull();
  });

  it("hashes a visitor the same within a day and differently the next day", () => {
    const today = dailySalt("secret", "2026-04-01");
    const tomorrow = dailySalt("secret", "2026-04-02");
    expect(visitorHash(today, "203.0.113.9", "UA")).toBe(visitorHash(today, "203.0.113.9", "UA"));
    expect(visitorHash(today, "203.0.113.9", "UA")).not.toBe(visitorHash(tomorrow, "203.0.113.9", "UA"));
    expect(hourBucket(new Date("2026-04-01T10:59:59.999Z")).toISOString()).toBe("2026-04-01T10:00:00.000Z");
  });

  it("adds ref and UTM parameters to the signup URL and keeps its own", () => {
    const location = new URL(
      signupLocation("https://app.example.com/signup?plan=pro&utm_source=old", {
        code: "abcDEF123456",
        channel: "x",
        variant: "B",
      }),
    );
    expect(Object.fromEntries(location.searchParams)).toEqual({
      plan: "pro",
      utm_source: "x",
      ref: "abcDEF123456",
      utm_medium: "social",
      utm_campaign: "outcome-recap",
      utm_content: "B",
    });
  });

  it("keeps a signup path (the demo's) a path, so the browser stays on the redirect's origin", () => {
    const location = signupLocation("/demo/signup", { code: "abcDEF123456", channel: "linkedin", variant: "A" });
    expect(location).toBe(
      "/demo/signup?ref=abcDEF123456&utm_source=linkedin&utm_medium=social&utm_campaign=outcome-recap&utm_content=A",
    );
    // A scheme-relative "//host/…" is another site, never taken for a path.
    expect(() =>
      signupLocation("//evil.example/signup", { code: "abcDEF123456", channel: "x", variant: null }),
    ).toThrow();
  });

  it("caches hits and misses for the TTL, loads once for concurrent misses, and evicts the least recently used", async () => {
    let now = 0;
    let loads = 0;
    const cache = createTtlCache<string>({
      ttlMs: 1000,
      maxEntries: 2,
      now: () => now,
      load: async (key) => {
        loads++;
        return key === "missing" ? null : key.toUpperCase();
      },
    });
    expect(await Promise.all([cache.get("a"), cache.get("a")])).toEqual(["A", "A"]);
    expect(loads).toBe(1);
    expect(await cache.get("missing")).toBeNull();
    expect(await cache.get("missing")).toBeNull();
    expect(loads).toBe(2);
    await cache.get("a"); // a is now the most recent
    await cache.get("b"); // evicts "missing"
    expect(cache.peek("missing")).toBeUndefined();
    expect(cache.peek("a")).toBe("A");
    now = 1001;
    expect(cache.peek("a")).toBeUndefined();
  });

  it("labels the buttons in every supported language, falling back to English", () => {
    expect(shareLabels("et").shareOnLinkedIn).toBe("Jaga LinkedInis");
    expect(shareLabels("sv-SE").copyLink).toBe("Kopiera länk");
    expect(shareLabels("pt").downloadPdf).toBe("Download PDF");
  });
});
