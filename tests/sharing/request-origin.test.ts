import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/chromium.js";
import type { TestContext } from "../support/test-context.js";
import { createLink, publishedRecap, type SharingTenant, servedContext, sharingTenant } from "./sharing-support.js";

// No PUBLIC_BASE_URL (an empty value counts as unset): the configured default would be
// http://localhost:<port>, yet the service is opened at http://127.0.0.1:<port>.
let t: TestContext;
let baseUrl: string;
let stopServer: () => Promise<void>;
let owner: SharingTenant;
let recap: Awaited<ReturnType<typeof publishedRecap>>;
let browser: Browser | undefined;

beforeAll(async () => {
  ({ t, baseUrl, stopServer } = await servedContext({ PUBLIC_BASE_URL: "" }));
  owner = await sharingTenant(t);
  await t.startWorkers();
  recap = await publishedRecap(t, owner, "kide-analytics", { waitForAssets: true });
  if (chromiumAvailable) browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopServer?.();
  await t?.close();
});

const metaContent = (html: string, property: string) =>
  new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"`).exec(html)?.[1];

describe("URLs without PUBLIC_BASE_URL follow the request's origin", () => {
  it("hands out share and redirect URLs at the origin the API was called at", async () => {
    expect(t.deps.config.publicBaseUrl).toMatch(/^http:\/\/localhost:/);
    const link = await createLink(t, owner.backendKey, recap.id, "linkedin");
    // createLink goes through app.request, whose origin is http://localhost; over the socket it is 127.0.0.1.
    const listed = await fetch(`${baseUrl}/v1/recaps/${recap.id}/links`, {
      headers: { authorization: `Bearer ${owner.readerKey}` },
    });
    const [row] = ((await listed.json()) as { data: { shareUrl: string; redirectUrl: string }[] }).data;
    expect(row?.shareUrl).toBe(`${baseUrl}/s/${link.code}?v=${recap.version}`);
    expect(row?.redirectUrl).toBe(`${baseUrl}/r/${link.code}`);
  });

  it("gives the share page an absolute og:image at the request's origin and a relative, loadable card", async () => {
    const link = await createLink(t, owner.backendKey, recap.id, "copy");
    const response = await fetch(`${baseUrl}/s/${link.code}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const ogImage = metaContent(html, "og:image") ?? "";
    expect(ogImage).toMatch(new RegExp(`^${baseUrl}/assets/[0-9a-f]{64}\\.png$`));
    expect(metaContent(html, "og:url")).toBe(`${baseUrl}/s/${link.code}?v=${recap.version}`);
    const cardSrc = /<img class="card" src="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(cardSrc).toBe(new URL(ogImage).pathname);
    const card = await fetch(new URL(cardSrc, `${baseUrl}/s/${link.code}`));
    expect(card.status).toBe(200);
    expect(card.headers.get("content-type")).toBe("image/png");
    expect(html).toContain(`href="/r/${link.code}" data-role="cta"`);
  });

  it("names the request's origin as the OpenAPI server, and Swagger UI loads the spec relatively", async () => {
    const spec = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { servers: { url: string }[] };
    expect(spec.servers[0]?.url).toBe(baseUrl);
    const docs = await (await fetch(`${baseUrl}/docs`)).text();
    expect(docs).not.toContain("localhost");
    const init = await (await fetch(`${baseUrl}/docs/assets/init.js`)).text();
    expect(init).toContain('url: "/openapi.json"');
  });

  it("ignores X-Forwarded-Host and -Proto when no trusted proxy is configured", async () => {
    const spec = (await (
      await fetch(`${baseUrl}/openapi.json`, {
        headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
      })
    ).json()) as { servers: { url: string }[] };
    expect(spec.servers[0]?.url).toBe(baseUrl);
  });
});

describe.skipIf(!chromiumAvailable)("the share page opened at 127.0.0.1 in Chromium", () => {
  it("shows the card image with no content security policy violation", async () => {
    const link = await createLink(t, owner.backendKey, recap.id, "linkedin");
    const context = await (browser as Browser).newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      // The browser's own favicon request 404s (the service has none); that is not the page's doing.
      if (message.location().url.endsWith("/favicon.ico")) return;
      if (message.type() === "error" || /Content Security Policy/i.test(message.text())) {
        problems.push(`${message.text()} (${message.location().url})`);
      }
    });
    await page.goto(`${baseUrl}/s/${link.code}`);
    // Loaded (complete, with pixels), not merely present: a CSP-blocked image has naturalWidth 0.
    const loadedWidth =
      'document.querySelector("img.card").complete ? document.querySelector("img.card").naturalWidth : -1';
    await expect.poll(() => page.evaluate<number>(loadedWidth)).toBe(1200);
    expect(problems).toEqual([]);
    await context.close();
  });
});
