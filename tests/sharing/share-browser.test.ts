import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/chromium.js";
import type { TestContext } from "../support/test-context.js";
import { createLink, publishedRecap, type SharingTenant, servedContext, sharingTenant } from "./sharing-support.js";

let t: TestContext;
let baseUrl: string;
let stopServer: () => Promise<void>;
let owner: SharingTenant;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  ({ t, baseUrl, stopServer } = await servedContext());
  owner = await sharingTenant(t);
  await t.startWorkers();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopServer?.();
  await t?.close();
});

describe.skipIf(!chromiumAvailable)("the share page in Chromium", () => {
  it("opens LinkedIn's share dialog for the tracked URL with the post copied, and copies the link", async () => {
    const recap = await publishedRecap(t, owner, "kide-analytics");
    const link = await createLink(t, owner.backendKey, recap.id, "linkedin");
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    // LinkedIn itself is not reached from a test: its answer is faked.
    await context.route("https://www.linkedin.com/**", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>LinkedIn</title>" }),
    );
    const errors: string[] = [];
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(link.shareUrl);
    expect(await page.locator("html").getAttribute("lang")).toBe("fi");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(recap.copy.headline);

    const linkedIn = page.getByRole("link", { name: "Jaa LinkedInissä" });
    const href = (await linkedIn.getAttribute("href")) ?? "";
    const shareDialog = new URL(href);
    expect(shareDialog.origin + shareDialog.pathname).toBe("https://www.linkedin.com/sending/share-offsite/");
    expect(shareDialog.searchParams.get("url")).toBe(link.shareUrl);

    const [popup] = await Promise.all([context.waitForEvent("page"), linkedIn.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(href);
    await expect
      .poll(() => page.evaluate<string>("navigator.clipboard.readText()"))
      .toBe(`${recap.copy.linkedinPost}\n\n${link.shareUrl}`);

    await page.getByRole("button", { name: "Kopioi linkki" }).click();
    await expect.poll(() => page.evaluate<string>("navigator.clipboard.readText()")).toBe(link.shareUrl);
    await expect.poll(() => page.locator("[data-copy-status]").textContent()).toBe("Kopioitu");

    const cta = page.getByRole("link", { name: recap.copy.callToAction });
    expect(await cta.getAttribute("href")).toBe(`/r/${link.code}`);
    expect(new URL(`/r/${link.code}`, page.url()).toString()).toBe(link.redirectUrl);
    expect(errors).toEqual([]);
    await context.close();
  });
});
