import { eq } from "drizzle-orm";
import ogs from "open-graph-scraper";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { call } from "../support/http.js";
import type { TestContext } from "../support/test-context.js";
import {
  createLink,
  publishedRecap,
  type SharingTenant,
  SIGNUP_URL,
  servedContext,
  sharingTenant,
} from "./sharing-support.js";

let t: TestContext;
let baseUrl: string;
let stopServer: () => Promise<void>;
let owner: SharingTenant;
let recap: Awaited<ReturnType<typeof publishedRecap>>;

beforeAll(async () => {
  ({ t, baseUrl, stopServer } = await servedContext());
  owner = await sharingTenant(t);
  await t.startWorkers();
  recap = await publishedRecap(t, owner, "nordlicht-gmbh", { hideFirstHeadlineFact: true, waitForAssets: true });
}, 120_000);
afterAll(async () => {
  await stopServer();
  await t.close();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${baseUrl}${path}`, { redirect: "manual", ...init });

describe("the share page", () => {
  it("carries every Open Graph and Twitter tag, with an absolute, fetchable 1200×627 og:image", async () => {
    const link = await createLink(t, owner.backendKey, recap.id, "linkedin");
    const { result, error } = await ogs({ url: link.shareUrl });
    expect(error).toBe(false);
    expect(result.ogTitle).toBe(recap.copy.headline);
    expect(result.ogDescription).toBeTruthy();
    expect(result.ogType).toBe("website");
    expect(result.ogUrl).toBe(link.shareUrl);
    expect(result.ogLocale).toBe("de_DE");
    expect(result.twitterCard).toBe("summary_large_image");
    expect(result.twitterTitle).toBe(recap.copy.headline);
    const image = result.ogImage?.[0];
    expect(image?.url).toMatch(new RegExp(`^${baseUrl}/assets/[0-9a-f]{64}\\.png$`));
    expect(String(image?.width)).toBe("1200");
    expect(String(image?.height)).toBe("627");
    expect(result.twitterImage?.[0]?.url).toBe(image?.url);

    const html = await (await get(`/s/${link.code}`)).text();
    expect(html).toContain(`<meta property="og:image:alt" content="${escapeHtml(recap.copy.imageAlt)}"/>`);
    expect(html).toContain(`<link rel="canonical" href="${escapeHtml(link.shareUrl)}"/>`);
    expect(html).toMatch(/^<!doctype html><html lang="de">/);

    const png = await get(new URL(image?.url ?? "").pathname);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    const metadata = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect([metadata.width, metadata.height]).toEqual([1200, 627]);
  });

  it("shows the numbers the customer kept and the CTA to /r, with one same-origin script under a strict CSP", async () => {
    const link = await createLink(t, owner.backendKey, recap.id, "copy");
    const response = await get(`/s/${link.code}`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await response.text();
    const hidden = recap.hiddenFactIds[0] as string;
    expect(hidden).toBeTruthy();
    const shown = recap.digest.headline.filter((id) => id !== hidden).slice(0, 3);
    for (const id of shown) expect(html).toContain(`data-fact="${id}"`);
    expect(html).not.toContain(`data-fact="${hidden}"`);
    // Relative: the page links to its own origin, whichever host it was opened at.
    expect(html).toContain(`href="/r/${link.code}" data-role="cta">${escapeHtml(recap.copy.callToAction)}</a>`);
    expect(html).toContain('<script src="/sharing/share.js" defer="">');
    expect(html.match(/<script/g)).toHaveLength(1);
    const script = await get("/sharing/share.js");
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("story-on");
  });

  it("answers an unknown code with a 404 page on both paths", async () => {
    for (const path of ["/s/ZZZZZZZZZZZZ", "/r/ZZZZZZZZZZZZ", "/s/not-a-code!"]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain("Recap not found");
    }
  });

  it("may be kept by a shared cache only if it asks again each time, so a take-down is effective at once", async () => {
    const other = await publishedRecap(t, owner, "team-24");
    const link = await createLink(t, owner.backendKey, other.id, "linkedin");
    const page = await get(`/s/${link.code}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=0, must-revalidate");
    const etag = page.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const unchanged = await get(`/s/${link.code}`, { headers: { "if-none-match": etag } });
    expect(unchanged.status).toBe(304);

    const current = await call(t.app, "GET", `/v1/recaps/${other.id}`, { key: owner.key });
    const down = await call(t.app, "POST", `/v1/recaps/${other.id}/unpublish`, {
      key: owner.backendKey,
      body: {},
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(down.status).toBe(200);
    // The cache's revalidation gets the take-down, which nothing may store.
    const revalidated = await get(`/s/${link.code}`, { headers: { "if-none-match": etag } });
    expect(revalidated.status).toBe(410);
    expect(revalidated.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 410 on both paths once the recap is unpublished, or erased", async () => {
    const other = await publishedRecap(t, owner, "team-25");
    const link = await createLink(t, owner.backendKey, other.id, "linkedin");
    const current = await call(t.app, "GET", `/v1/recaps/${other.id}`, { key: owner.key });
    const down = await call(t.app, "POST", `/v1/recaps/${other.id}/unpublish`, {
      key: owner.backendKey,
      body: {},
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(down.status).toBe(200);
    for (const path of [`/s/${link.code}`, `/r/${link.code}`]) {
      const response = await get(path);
      expect(response.status, path).toBe(410);
      expect(await response.text()).toContain("no longer shared");
    }

    const erased = await publishedRecap(t, owner, "team-26");
    const erasedLink = await createLink(t, owner.backendKey, erased.id, "email");
    await t.deps.db.delete(recaps).where(eq(recaps.id, erased.id));
    for (const path of [`/s/${erasedLink.code}`, `/r/${erasedLink.code}`]) {
      expect((await get(path)).status, path).toBe(410);
    }
  });
});

describe("the redirect", () => {
  it("sends a 302 to the signup URL with ref and UTM parameters, keeping the URL's own parameters", async () => {
    const linkedin = await createLink(t, owner.backendKey, recap.id, "linkedin");
    const email = await createLink(t, owner.backendKey, recap.id, "email");
    for (const [link, medium] of [
      [linkedin, "social"],
      [email, "email"],
    ] as const) {
      const response = await get(`/r/${link.code}`, { headers: { "user-agent": "Mozilla/5.0 Firefox/128.0" } });
      expect(response.status).toBe(302);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const location = new URL(response.headers.get("location") ?? "");
      const signup = new URL(SIGNUP_URL);
      expect(location.origin + location.pathname).toBe(signup.origin + signup.pathname);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        plan: "team",
        lang: "en",
        ref: link.code,
        utm_source: link.channel,
        utm_medium: medium,
        utm_campaign: "outcome-recap",
        utm_content: recap.variant,
      });
    }
  });
});

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
