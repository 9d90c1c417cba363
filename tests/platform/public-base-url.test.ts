import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type PublicBaseUrlConfig, publicBaseUrl } from "../../src/platform/http/public-base-url.js";

/** A bare app that answers with the base URL the request would get. */
async function baseFor(config: PublicBaseUrlConfig, url: string, headers: Record<string, string> = {}) {
  const app = new Hono();
  app.get("/", (c) => c.text(publicBaseUrl(c, config)));
  const response = await app.request(url, { headers });
  return response.text();
}

const unset: PublicBaseUrlConfig = {
  publicBaseUrl: "http://localhost:3000",
  publicBaseUrlConfigured: false,
  trustForwardedOrigin: false,
};
const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "recaps.example.com" };

describe("the public base URL of a request", () => {
  it("is the request's own origin when PUBLIC_BASE_URL is unset", async () => {
    expect(await baseFor(unset, "http://127.0.0.1:3000/")).toBe("http://127.0.0.1:3000");
  });

  it("is PUBLIC_BASE_URL, without a trailing slash, when it is configured", async () => {
    const config = { ...unset, publicBaseUrl: "https://recaps.example.com/", publicBaseUrlConfigured: true };
    expect(await baseFor(config, "http://127.0.0.1:3000/", forwarded)).toBe("https://recaps.example.com");
  });

  it("ignores X-Forwarded-Proto and -Host unless a trusted proxy is configured to set them", async () => {
    expect(await baseFor(unset, "http://127.0.0.1:3000/", forwarded)).toBe("http://127.0.0.1:3000");
  });

  it("takes the first X-Forwarded-Proto and -Host from a trusted proxy", async () => {
    const trusted = { ...unset, trustForwardedOrigin: true };
    const headers = { "x-forwarded-proto": "https, http", "x-forwarded-host": "Recaps.Example.com:8443, inner:3000" };
    expect(await baseFor(trusted, "http://127.0.0.1:3000/", headers)).toBe("https://recaps.example.com:8443");
  });

  it("falls back to the request's origin when a trusted proxy's headers are not a bare scheme and host", async () => {
    const trusted = { ...unset, trustForwardedOrigin: true };
    const refused: Record<string, string>[] = [
      { "x-forwarded-proto": "javascript", "x-forwarded-host": "recaps.example.com" },
      { "x-forwarded-proto": "https", "x-forwarded-host": "evil.example/path" },
      { "x-forwarded-proto": "https", "x-forwarded-host": "user@evil.example" },
      { "x-forwarded-proto": "https" },
    ];
    for (const headers of refused) {
      expect(await baseFor(trusted, "http://127.0.0.1:3000/", headers)).toBe("http://127.0.0.1:3000");
    }
  });
});
