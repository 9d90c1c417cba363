import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { chromiumAvailable, launchChromium, screenshot, screenshotView } from "../support/chromium.js";
import { call } from "../support/http.js";
import type { TestContext } from "../support/test-context.js";
import { createLink, publishedRecap, type SharingTenant, servedContext, sharingTenant } from "./sharing-support.js";

/** The demo accounts, one per language the story speaks. */
const ACCOUNTS: Record<SupportedLocale, string> = {
  en: "harbor-labs",
  et: "aurora-logistics",
  fi: "kide-analytics",
  de: "nordlicht-gmbh",
  sv: "fjord-ab",
};
const LOCALES = Object.keys(ACCOUNTS) as SupportedLocale[];
const WIDTHS = [390, 1280] as const;
/**
 * The languages paged through at each width: every one on a phone, where words are tightest; on a
 * laptop the source language and the longest one (German) stand for the rest, which keeps the
 * suite under its time (each pass is several seconds of real transitions).
 */
const LOCALES_AT = (width: number): SupportedLocale[] => (width < 600 ? LOCALES : ["en", "de"]);

let t: TestContext;
let stopServer: () => Promise<void>;
let owner: SharingTenant;
let browser: Browser;
const links = new Map<SupportedLocale, { code: string; shareUrl: string }>();
let gone: { code: string; shareUrl: string } | undefined;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  ({ t, stopServer } = await servedContext());
  owner = await sharingTenant(t);
  const patched = await call(t.app, "PATCH", "/v1/tenant", {
    key: owner.key,
    body: {
      productTagline: {
        en: "Finance automation for teams that close the books on time.",
        fi: "Taloushallinnon automaatio tiimeille, jotka haluavat kirjat kiinni ajallaan.",
        de: "Automatisierte Buchhaltung für Teams, die pünktlich abschließen wollen.",
      },
      productDescription: {
        en: "Invoices, approvals and payments run themselves, and the team sees every result.",
        fi: "Laskut, hyväksynnät ja maksut kulkevat itsestään, ja tiimi näkee jokaisen tuloksen.",
      },
      websiteUrl: "https://www.northwind.example/",
    },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  await t.startWorkers();
  browser = await launchChromium();
  for (const locale of LOCALES) {
    const recap = await publishedRecap(t, owner, ACCOUNTS[locale], { waitForAssets: true });
    expect(recap.locale).toBe(locale);
    links.set(locale, await createLink(t, owner.backendKey, recap.id, "linkedin"));
  }
  // A recap taken down after it was shared, for the 410 page.
  const down = await publishedRecap(t, owner, "team-12");
  gone = await createLink(t, owner.backendKey, down.id, "linkedin");
  const current = await call(t.app, "GET", `/v1/recaps/${down.id}`, { key: owner.key });
  const unpublished = await call(t.app, "POST", `/v1/recaps/${down.id}/unpublish`, {
    key: owner.backendKey,
    body: {},
    headers: { "if-match": current.headers.get("etag") ?? "" },
  });
  expect(unpublished.status).toBe(200);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await stopServer?.();
  await t?.close();
});

const current = (page: Page) => page.evaluate<string | null>(`document.getElementById("story").dataset.current`);
const total = (page: Page) => page.evaluate<number>(`document.querySelectorAll("[data-slide]").length`);
/** Pixels the page or the shown slide is wider than the window (0: nothing to scroll sideways). */
const overflow = (page: Page) =>
  page.evaluate<number>(`(() => {
    const slide = document.querySelector(".slide.is-current") || document.documentElement;
    return Math.max(document.documentElement.scrollWidth - window.innerWidth, slide.scrollWidth - slide.clientWidth);
  })()`);
/**
 * Waits until the slide's transition and entry animation are over (their own promises, no timers;
 * an in-page promise, since the page's CSP refuses the eval that waitForFunction polls with).
 */
const settled = (page: Page) => page.evaluate(`Promise.all(document.getAnimations().map((a) => a.finished))`);
/** Waits until the card image has loaded and decoded; returns its natural width (0: broken). */
const cardWidth = (page: Page) =>
  page.evaluate<number>(`(async () => {
    const img = document.querySelector(".slide.is-current img.card");
    await img.decode();
    return img.naturalWidth;
  })()`);

async function openStory(context: BrowserContext, locale: SupportedLocale) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(links.get(locale)?.shareUrl ?? "");
  await page.waitForLoadState("load");
  expect(await page.evaluate<boolean>(`document.documentElement.classList.contains("story-on")`)).toBe(true);
  return { page, errors };
}

/** A finger moving across the screen, as Chromium's touch input (CDP) delivers it: touch and pointer events. */
async function swipe(page: Page, from: number, to: number) {
  const cdp = await page.context().newCDPSession(page);
  const y = 420;
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: from, y }] });
  for (const x of [from + (to - from) / 3, from + ((to - from) * 2) / 3, to])
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: y + 6 }] });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

describe.skipIf(!chromiumAvailable)("the visitor's story in Chromium", () => {
  for (const width of WIDTHS)
    for (const locale of LOCALES_AT(width))
      it(`pages through the ${locale} story at ${width} px with keys, swipes and taps, without sideways scrolling`, async () => {
        const context = await browser.newContext({
          viewport: { width, height: width < 600 ? 844 : 800 },
          hasTouch: width < 600,
          isMobile: width < 600,
          deviceScaleFactor: 1,
        });
        const { page, errors } = await openStory(context, locale);
        expect(await page.locator("html").getAttribute("lang")).toBe(locale);
        const slides = await total(page);
        expect(slides).toBeGreaterThanOrEqual(4);
        expect(slides).toBeLessThanOrEqual(6);
        expect(await current(page)).toBe("1");

        // Keyboard: every slide in turn, each looked at and checked for overflow.
        for (let index = 1; index <= slides; index++) {
          await settled(page);
          expect(await current(page)).toBe(String(index));
          expect(await overflow(page), `slide ${index}`).toBeLessThanOrEqual(0);
          const shown = await page.locator(".slide.is-current").boundingBox();
          expect(shown?.width).toBe(width);
          if (index === slides) expect(await cardWidth(page)).toBe(1200);
          await screenshotView(page, `story-${locale}-${width}-${index}`);
          await page.keyboard.press(index % 2 ? "ArrowRight" : " ");
        }
        expect(await current(page)).toBe(String(slides));
        await page.keyboard.press("ArrowLeft");
        expect(await current(page)).toBe(String(slides - 1));
        await page.keyboard.press("Home");
        expect(await current(page)).toBe("1");
        await page.keyboard.press("End");
        expect(await current(page)).toBe(String(slides));
        expect(page.url()).toContain(`#slide-${slides}`);

        // The last slide: the call to action goes through the tracked redirect.
        const code = links.get(locale)?.code;
        expect(await page.locator(".slide.is-current [data-role=cta]").getAttribute("href")).toBe(`/r/${code}`);

        // Swipe (touch on a phone, a mouse drag on a desktop) and tap.
        await page.keyboard.press("Home");
        if (width < 600) {
          await swipe(page, 320, 60);
          expect(await current(page)).toBe("2");
          await swipe(page, 60, 330);
          expect(await current(page)).toBe("1");
          await page.touchscreen.tap(width - 40, 300);
          expect(await current(page)).toBe("2");
          await page.touchscreen.tap(30, 300);
          expect(await current(page)).toBe("1");
        } else {
          await page.mouse.move(900, 400);
          await page.mouse.down();
          await page.mouse.move(600, 405, { steps: 4 });
          await page.mouse.up();
          expect(await current(page)).toBe("2");
          await page.mouse.click(width - 100, 300);
          expect(await current(page)).toBe("3");
          await page.mouse.click(100, 300);
          expect(await current(page)).toBe("2");
          await page
            .getByRole("button", { name: (await page.locator("[data-story=next]").getAttribute("aria-label")) ?? "" })
            .click();
          expect(await current(page)).toBe("3");
        }
        // Only the shown slide is in the accessibility tree and the tab order.
        expect(await page.locator("[data-slide][aria-hidden=true]").count()).toBe(slides - 1);
        expect(errors).toEqual([]);
        await context.close();
      });

  it("moves nothing for a visitor who asked for reduced motion", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, reducedMotion: "reduce" });
    const { page } = await openStory(context, "fi");
    await page.keyboard.press("ArrowRight");
    const motion = await page.evaluate<{ transition: string; animation: string; animations: number }>(`(() => {
      const slide = document.querySelector(".slide.is-current");
      const pop = slide.querySelector(".pop");
      return {
        transition: getComputedStyle(slide).transitionDuration,
        animation: getComputedStyle(pop).animationName,
        animations: document.getAnimations().length,
      };
    })()`);
    expect(motion).toEqual({ transition: "0s", animation: "none", animations: 0 });
    expect(await current(page)).toBe("2");
    await screenshotView(page, "story-fi-390-reduced-motion");
    await context.close();
  });

  for (const width of WIDTHS)
    it(`shows every slide one under the other without JavaScript at ${width} px`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled: false });
      for (const locale of LOCALES) {
        const page = await context.newPage();
        await page.goto(links.get(locale)?.shareUrl ?? "");
        const slides = page.locator("[data-slide]");
        const count = await slides.count();
        expect(count).toBeGreaterThanOrEqual(4);
        for (let index = 0; index < count; index++) expect(await slides.nth(index).isVisible()).toBe(true);
        expect(await page.locator(".controls").isVisible()).toBe(false);
        expect(
          await page.evaluate<number>(`document.documentElement.scrollWidth - window.innerWidth`),
        ).toBeLessThanOrEqual(0);
        await screenshot(page, `story-${locale}-${width}-no-js`);
        await page.close();
      }
      await context.close();
    });

  for (const width of WIDTHS)
    it(`answers a dead link with a localized page at ${width} px, linking to the tenant's website when it knows the tenant`, async () => {
      for (const locale of LOCALES) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, locale });
        const page = await context.newPage();
        const response = await page.goto(`${links.get("en")?.shareUrl.replace(/\/s\/.*$/, "")}/s/ZZZZZZZZZZZZ`);
        expect(response?.status()).toBe(404);
        expect(await page.locator("html").getAttribute("lang")).toBe(locale);
        expect(
          await page.evaluate<number>(`document.documentElement.scrollWidth - window.innerWidth`),
        ).toBeLessThanOrEqual(0);
        await screenshot(page, `story-404-${locale}-${width}`);
        await context.close();
      }
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      const response = await page.goto(gone?.shareUrl ?? "");
      expect(response?.status()).toBe(410);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      expect(await page.locator("[data-role=website]").getAttribute("href")).toBe("https://www.northwind.example/");
      expect(
        await page.evaluate<number>(`document.documentElement.scrollWidth - window.innerWidth`),
      ).toBeLessThanOrEqual(0);
      await screenshot(page, `story-410-en-${width}`);
      await context.close();
    });
});
