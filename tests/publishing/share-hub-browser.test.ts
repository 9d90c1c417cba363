import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTranslator } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { type SharingTenant, sharingTenant } from "../sharing/sharing-support.js";
import { chromiumAvailable, expectHeading, launchChromium, screenshot } from "../support/chromium.js";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";
import { approvedWithPreview } from "./share-hub-support.js";

/** One demo account per language the page speaks. */
const ACCOUNTS: Record<SupportedLocale, { id: string; name: string }> = {
  en: { id: "harbor-labs", name: "Harbor Labs Ltd" },
  et: { id: "aurora-logistics", name: "Aurora Logistics OÜ" },
  fi: { id: "kide-analytics", name: "Kide Analytics Oy" },
  de: { id: "nordlicht-gmbh", name: "Nordlicht GmbH" },
  sv: { id: "fjord-ab", name: "Fjord Ekonomi AB" },
};

const REWARD: Record<SupportedLocale, string> = {
  en: "A month of the Team plan, on us",
  et: "Kuu aega Team-paketti tasuta",
  fi: "Kuukausi Team-pakettia veloituksetta",
  de: "Ein Monat Team-Abonnement gratis",
  sv: "En månad av Team-planen utan kostnad",
};

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

let t: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let chromium: Browser;
let owner: SharingTenant;
const previews = new Map<SupportedLocale, Awaited<ReturnType<typeof approvedWithPreview>>>();

const overflow = (page: Page) =>
  page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") as Promise<number>;
const statusText = (page: Page) => page.locator("[data-copy-status]").textContent();

/** A browser context that may use the clipboard and never reaches LinkedIn or X (their answer is faked). */
async function newContext(width: number): Promise<BrowserContext> {
  const context = await chromium.newContext({ viewport: { width, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  for (const site of ["https://www.linkedin.com/**", "https://twitter.com/**"])
    await context.route(site, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>elsewhere</title>" }),
    );
  return context;
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}

beforeAll(async () => {
  if (!chromiumAvailable) return;
  t = await createTestContext({ env: { TRUSTED_PROXY_IP_HEADER: "x-client-ip" } });
  owner = await sharingTenant(t);
  await call(t.app, "PATCH", "/v1/tenant", { key: owner.key, body: { shareReward: REWARD } });
  await t.startWorkers();
  for (const locale of SUPPORTED_LOCALES)
    previews.set(locale, await approvedWithPreview(t.app, owner.key, ACCOUNTS[locale].id));
  server = await listen(t.app);
  chromium = await launchChromium();
}, 300_000);
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await t?.close();
});

describe.skipIf(!chromiumAvailable)("the share hub in Chromium", () => {
  for (const locale of SUPPORTED_LOCALES) {
    it(`${locale} at 390 px: the customer publishes, the hub appears, and "copied, now paste it" shows only after the click`, async () => {
      const hub = getTranslator(locale, "hub");
      const customer = getTranslator(locale, "customer");
      const preview = previews.get(locale)!;
      const context = await newContext(390);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${server.url}${preview.path}`);
      await expectHeading(page, ACCOUNTS[locale].name);
      expect(await page.locator("[data-share-hub]").count()).toBe(0);
      await page.getByRole("button", { name: customer("publish"), exact: true }).click();
      await page.waitForURL(/done=published/);
      const heading = page.getByRole("heading", { name: hub("heading"), exact: true });
      expect(await heading.isVisible()).toBe(true);

      // Nothing says "copied" before anything was copied.
      expect(await statusText(page)).toBe("");
      expect(await page.locator("[data-copy-status]").isVisible()).toBe(false);
      const copyPost = page.getByRole("button", { name: hub("copyPost.button"), exact: true });
      expect(await copyPost.isVisible()).toBe(true);
      await copyPost.click();
      await expect.poll(() => statusText(page)).toBe(hub("copyPost.copied"));
      const post = (await page.locator("#hub-post").inputValue()) as string;
      expect(post).toContain(preview.copy.linkedinPost.slice(0, 30));
      await expect.poll(() => page.evaluate<string>("navigator.clipboard.readText()")).toBe(post);
      // The share-sheet button is there exactly when this browser can share files.
      const canShareFiles = await page.evaluate(
        `!!(navigator.share && navigator.canShare && navigator.canShare({ files: [new File(["x"], "x.png", { type: "image/png" })] }))`,
      );
      await expect.poll(() => page.locator("[data-role=native-share]").isVisible()).toBe(canShareFiles);
      expect(await page.locator("[data-role=reward-offer]").textContent()).toContain(REWARD[locale]);
      expect(await overflow(page), "horizontal overflow at 390 px").toBe(0);
      await screenshot(page, `share-hub-${locale}-390`);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);

    it(`${locale} at 1280 px: LinkedIn opens with the post copied, and the count and the earned reward show`, async () => {
      const hub = getTranslator(locale, "hub");
      const preview = previews.get(locale)!;
      const links = (await call(t.app, "GET", `/v1/recaps/${preview.id}/links`, { key: owner.key })).body.data as {
        code: string;
        channel: string;
        shareUrl: string;
      }[];
      expect(links.map((link) => link.channel).sort()).toEqual(["copy", "email", "linkedin", "other", "x"]);
      for (const [index, link] of links.slice(0, 3).entries())
        await t.app.request(`/r/${link.code}`, {
          headers: { "user-agent": CHROME, "x-client-ip": `192.0.2.${index + 1}` },
        });
      await t.deps.clicks.flush();
      const signup = await call(t.app, "POST", "/v1/conversions", {
        key: owner.key,
        body: { ref: links[0]?.code, type: "signup", externalUserId: `browser-${locale}` },
      });
      expect(signup.status, signup.text).toBe(201);

      const context = await newContext(1280);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${server.url}${preview.path}`);
      await expectHeading(page, ACCOUNTS[locale].name);
      expect(await statusText(page)).toBe("");
      const linkedIn = page.getByRole("link", { name: hub("linkedin.button"), exact: true });
      const [popup] = await Promise.all([context.waitForEvent("page"), linkedIn.click()]);
      await popup.waitForLoadState();
      const shared = new URL(popup.url());
      expect(shared.origin + shared.pathname).toBe("https://www.linkedin.com/sharing/share-offsite/");
      // The API answered at http://localhost (in-process); the page was opened at the server's address.
      const atServer = (url = "") => url.replace(/^http:\/\/localhost/, server.url);
      const linkedInLink = links.find((link) => link.channel === "linkedin");
      expect(shared.searchParams.get("url")).toBe(atServer(linkedInLink?.shareUrl));
      await expect.poll(() => statusText(page)).toBe(hub("linkedin.copied"));
      await expect
        .poll(() => page.evaluate<string>("navigator.clipboard.readText()"))
        .toBe(`${preview.copy.linkedinPost}\n\n${atServer(linkedInLink?.shareUrl)}`);
      await page.bringToFront();

      expect(await page.locator("[data-people]").getAttribute("data-people")).toBe("3");
      expect(await page.locator("[data-role=reward-earned]").textContent()).toContain(REWARD[locale]);
      expect(await overflow(page), "horizontal overflow at 1280 px").toBe(0);
      await screenshot(page, `share-hub-${locale}-1280`);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);
  }

  it("hands the card to the phone's share sheet as a PNG file where the browser can share files", async () => {
    const preview = previews.get("fi")!;
    const context = await chromium.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    // Stands in for a phone's Web Share API, recording what the page hands it (the system's share
    // sheet itself cannot be driven from a test).
    await context.addInitScript(`
      window.__shared = [];
      navigator.canShare = (data) => Array.isArray(data.files) && data.files.every((f) => f instanceof File);
      navigator.share = (data) => { window.__shared.push({ names: data.files.map((f) => f.name), types: data.files.map((f) => f.type),
        sizes: data.files.map((f) => f.size), text: data.text, title: data.title }); return Promise.resolve(); };
    `);
    const page = await context.newPage();
    await page.goto(`${server.url}${preview.path}`);
    const button = page.getByRole("button", { name: getTranslator("fi", "hub")("native"), exact: true });
    await button.waitFor({ state: "visible" });
    await button.tap();
    await expect.poll(() => page.evaluate("window.__shared.length")).toBe(1);
    const [shared] = (await page.evaluate("window.__shared")) as {
      names: string[];
      types: string[];
      sizes: number[];
      text: string;
    }[];
    expect(shared?.names).toEqual(["kide-analytics-oy-2026-q3-linkedin.png"]);
    expect(shared?.types).toEqual(["image/png"]);
    expect(shared?.sizes[0]).toBeGreaterThan(10_000);
    const other = (
      (await call(t.app, "GET", `/v1/recaps/${preview.id}/links`, { key: owner.key })).body.data as {
        channel: string;
        shareUrl: string;
      }[]
    ).find((link) => link.channel === "other");
    expect(shared?.text).toContain(other?.shareUrl.replace(/^http:\/\/localhost/, server.url));
    expect(await overflow(page)).toBe(0);
    await screenshot(page, "share-hub-fi-390-phone");
    await context.close();
  }, 60_000);
});
