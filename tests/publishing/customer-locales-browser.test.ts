import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTranslator } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { chromiumAvailable, expectHeading, imageLoaded, launchChromium, screenshot } from "../support/chromium.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

/** One demo account per language the page speaks. */
const ACCOUNTS: Record<SupportedLocale, { id: string; name: string }> = {
  en: { id: "harbor-labs", name: "Harbor Labs Ltd" },
  et: { id: "aurora-logistics", name: "Aurora Logistics OÜ" },
  fi: { id: "kide-analytics", name: "Kide Analytics Oy" },
  de: { id: "nordlicht-gmbh", name: "Nordlicht GmbH" },
  sv: { id: "fjord-ab", name: "Fjord Ekonomi AB" },
};

/** Words of the English page that must not be left on a page in another language. */
const ENGLISH_UI = [
  "Your outcome recap",
  "Skip to content",
  "The numbers on your card",
  "Hide this number",
  "Re-write the text without",
  "The text you agree to",
  "Your card",
  "Download the PDF",
  "By publishing, you agree",
  "LinkedIn post",
];

let t: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let chromium: Browser;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;
const links = new Map<SupportedLocale, string>();
const headlines = new Map<SupportedLocale, string>();

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(t.app, method, path, { key: tenant.key, ...(body === undefined ? {} : { body }), headers });

async function waitFor<T>(read: () => Promise<T>, want: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (want(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An approved recap with its card rendered, and the customer's preview path. */
async function approvedPreview(locale: SupportedLocale): Promise<void> {
  const created = await api("POST", "/v1/recaps", { account: ACCOUNTS[locale].id });
  const id: string = created.body.id;
  const drafted = await waitFor(
    () => api("GET", `/v1/recaps/${id}`),
    (r) => r.body.state === "pending_review",
    `${locale} draft`,
  );
  expect(drafted.body.locale).toBe(locale);
  const approved = await api("POST", `/v1/recaps/${id}/approve`, {}, { "if-match": drafted.headers.get("etag") ?? "" });
  expect(approved.body.state, JSON.stringify(approved.body)).toBe("approved");
  await waitFor(
    () => api("GET", `/v1/recaps/${id}/assets`),
    (r) => r.body.data.length === 4,
    `${locale} assets`,
  );
  const link = await api("POST", `/v1/recaps/${id}/preview-link`, {});
  links.set(locale, new URL(link.body.url).pathname);
  headlines.set(locale, drafted.body.copy.headline);
}

async function open(path: string, width: number): Promise<Page> {
  const page = await (await chromium.newContext({ viewport: { width, height: 900 } })).newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

const overflow = (page: Page) =>
  page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") as Promise<number>;
const htmlLang = (page: Page) => page.evaluate("document.documentElement.lang") as Promise<string>;
/** The page's own words: everything but the recap's copy, which stays in the recap's language. */
const interfaceText = (page: Page) =>
  page.evaluate(
    `(() => { const clone = document.body.cloneNode(true);
      clone.querySelectorAll(".card[lang]").forEach((node) => node.remove());
      return clone.textContent + " " + [...document.querySelectorAll("[alt]")].filter((n) => !n.lang).map((n) => n.alt).join(" ") + " " + document.title; })()`,
  ) as Promise<string>;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  t = await createTestContext();
  tenant = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, tenant.tenant.id);
  await t.startWorkers();
  for (const locale of SUPPORTED_LOCALES) await approvedPreview(locale);
  server = await listen(t.app);
  chromium = await launchChromium();
}, 300_000);
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await t?.close();
});

describe.skipIf(!chromiumAvailable)("the customer's preview page in the recap's language, in Chromium", () => {
  for (const locale of SUPPORTED_LOCALES) {
    for (const width of [390, 1280]) {
      it(`speaks ${locale} at ${width} px without horizontal overflow or English left over`, async () => {
        const words = getTranslator(locale, "customer");
        const page = await open(links.get(locale) ?? "", width);
        await expectHeading(page, ACCOUNTS[locale].name);
        await imageLoaded(page, "section img");
        expect(await htmlLang(page)).toBe(locale);
        expect(await overflow(page), `horizontal overflow at ${width} px`).toBe(0);
        const text = await interfaceText(page);
        for (const key of ["shell.heading", "numbers.legend", "copy.heading", "card.heading", "consent"])
          expect(text, `${locale} ${key}`).toContain(words(key));
        expect(await page.getByRole("button", { name: words("publish"), exact: true }).isVisible()).toBe(true);
        expect(await page.getByRole("link", { name: words("card.pdf") }).isVisible()).toBe(true);
        if (locale !== "en") for (const english of ENGLISH_UI) expect(text, `${locale} page`).not.toContain(english);
        // The recap's own text is on the page, in its own language.
        expect(await page.locator(`.card[lang="${locale}"]`).textContent()).toContain(headlines.get(locale));
        await screenshot(page, `customer-${locale}-${width}`);
        await page.context().close();
      }, 60_000);
    }
  }

  it("switches the interface to another language with ?lang=, keeps the recap's text in its own, and keeps the choice", async () => {
    const page = await open(links.get("fi") ?? "", 390);
    await expectHeading(page, "Kide Analytics Oy");
    await page.getByRole("navigation", { name: "Kieli" }).getByRole("link", { name: "Deutsch" }).click();
    await page.waitForURL(/\?lang=de$/);
    expect(await htmlLang(page)).toBe("de");
    const german = getTranslator("de", "customer");
    expect(await page.locator(".content-lang").textContent()).toBe(german("language.contentStays.fi"));
    expect(await page.locator('.card[lang="fi"]').textContent()).toContain(headlines.get("fi"));
    expect(await page.getByRole("button", { name: "Veröffentlichen", exact: true }).isVisible()).toBe(true);
    // Every form keeps the chosen language: the choices' (look, wording, post) and publishing.
    for (const action of ["look", "wording", "post", "publish"])
      expect(await page.locator(`form[action*="/${action}"]`).getAttribute("action")).toMatch(
        new RegExp(`/${action}\\?lang=de$`),
      );
    expect(await overflow(page)).toBe(0);
    await screenshot(page, "customer-fi-as-de-390");
    await page.context().close();
  }, 60_000);

  it("shows an invalid link's page in the browser's language", async () => {
    const context = await chromium.newContext({ viewport: { width: 390, height: 900 }, locale: "sv-SE" });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/p/${"Z".repeat(43)}`);
    expect(response?.status()).toBe(404);
    expect(await htmlLang(page)).toBe("sv");
    await expectHeading(page, getTranslator("sv", "customer")("notFound.heading"));
    expect(await overflow(page)).toBe(0);
    await screenshot(page, "customer-not-found-sv-390");
    await context.close();
  }, 60_000);
});
