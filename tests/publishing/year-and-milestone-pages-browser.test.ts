import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatPeriodInTitle, formatPeriodLabel } from "../../src/i18n/format.js";
import { getTranslator } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { fixedClock } from "../../src/platform/clock.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { chromiumAvailable, expectHeading, launchChromium, screenshot } from "../support/chromium.js";
import { makeApiKey, makeTenant } from "../support/factories.js";
import { type ApiResponse, call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

/**
 * The customer's page and the public share page of the two recaps that are not quarters: a
 * milestone over its trailing window and the year in review while the year runs, in every language,
 * at a phone's and a laptop's width. Each page is loaded once and looked at in both widths (the
 * viewport is resized); the share page is laid out in Chromium in German (the longest words) and
 * read as served in the other languages, so ten recaps cost twelve page loads. Screenshots: test-artifacts/annual-pages/.
 */

// 2 October 2026: the year runs ("2026 so far"), and the milestone's window is the 90 days before.
const clock = fixedClock(new Date("2026-10-02T09:00:00Z"));
const DAY = 86_400_000;
const WIDTHS = [1280, 390] as const;
const KINDS = ["milestone", "annual"] as const;
type Kind = (typeof KINDS)[number];

/** One account per language, the German one with a long name (the heading must wrap, not overflow). */
const ACCOUNTS: Record<SupportedLocale, { id: string; name: string; timeZone: string }> = {
  en: { id: "harbor", name: "Harbor Labs Ltd", timeZone: "Europe/London" },
  et: { id: "aurora", name: "Aurora Logistics OÜ", timeZone: "Europe/Tallinn" },
  fi: { id: "kide", name: "Kide Analytics Oy", timeZone: "Europe/Helsinki" },
  de: { id: "nordlicht", name: "Nordlicht Maschinenbau GmbH & Co. KG", timeZone: "Europe/Berlin" },
  sv: { id: "fjord", name: "Fjord Ekonomi AB", timeZone: "Europe/Stockholm" },
};

/** "Quarterly recap", "Kvartali kokkuvõte", "neljännes…", "Quartal…", "kvartal…". */
const QUARTER_WORDS = /quarter|kvartal|neljännes|Quartal/i;

/** The language whose share page is also laid out in Chromium: the longest words and account name. */
const LONGEST: SupportedLocale = "de";

type Made = { id: string; period: string; preview: string; share: string };

let t: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let chromium: Browser;
let key: string;
const made = new Map<string, Made>();
const slot = (kind: Kind, locale: SupportedLocale) => `${kind}:${locale}`;

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(t.app, method, path, { key, ...(body === undefined ? {} : { body }), headers });

async function waitFor<T>(read: () => Promise<T>, want: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (want(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A year of light usage up to yesterday: a run every other day, a blocked error every fifth. */
function usage(account: string) {
  const events = [];
  const start = Date.parse("2026-01-02T08:00:00Z");
  for (let at = start, index = 0; at < clock.now().getTime() - DAY; at += 2 * DAY, index += 1) {
    const occurred_at = new Date(at).toISOString();
    events.push({
      account,
      event: "automation.run",
      occurred_at,
      quantity: 1 + (index % 4),
      event_id: `${account}-r${index}`,
    });
    if (index % 5 === 0)
      events.push({ account, event: "validation.blocked", occurred_at, event_id: `${account}-v${index}` });
  }
  return events;
}

/** Approves and publishes a drafted recap, and opens the customer's preview link and a share link. */
async function publish(id: string): Promise<Made> {
  const drafted = await waitFor(
    () => api("GET", `/v1/recaps/${id}`),
    (r) => r.body.state === "pending_review",
    `the draft of ${id}`,
  );
  const etag = (r: ApiResponse) => ({ "if-match": r.headers.get("etag") ?? "" });
  const approved = await api("POST", `/v1/recaps/${id}/approve`, {}, etag(drafted));
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const published = await api("POST", `/v1/recaps/${id}/publish`, {}, etag(approved));
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  const preview = await api("POST", `/v1/recaps/${id}/preview-link`, {});
  const link = await api("POST", `/v1/recaps/${id}/links`, { channel: "linkedin" });
  expect(link.status, JSON.stringify(link.body)).toBe(201);
  return {
    id,
    period: drafted.body.period,
    preview: new URL(preview.body.url).pathname,
    share: new URL(link.body.shareUrl).pathname,
  };
}

beforeAll(async () => {
  if (!chromiumAvailable) return;
  t = await createTestContext({ clock });
  const tenant = await makeTenant(t.deps, { signupUrl: "https://signup.example.com/join" });
  key = (await makeApiKey(t.deps, tenant.id)).key;
  for (const { key: metric, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, tenant.id, metric, input);
  const rule = await api("POST", "/v1/value-moments", {
    kind: "first_event",
    name: "First integration live",
    event: "integration.added",
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  await t.startWorkers();
  for (const locale of SUPPORTED_LOCALES) {
    const { id, name, timeZone } = ACCOUNTS[locale];
    const account = await api("PUT", `/v1/accounts/${id}`, {
      name,
      locale,
      timeZone,
      consent: { publicRecap: true, peerComparison: false },
    });
    expect(account.status, JSON.stringify(account.body)).toBeLessThan(300);
    const sent = await api("POST", "/v1/events", { events: usage(id) });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  }
  // The first integration of every account, now: five milestone recaps over the 90 days before it.
  const integrations = SUPPORTED_LOCALES.map((locale) => ({
    account: ACCOUNTS[locale].id,
    event: "integration.added",
    occurred_at: new Date(clock.now().getTime() - 60_000).toISOString(),
    event_id: `${locale}-integration`,
  }));
  expect((await api("POST", "/v1/events", { events: integrations })).status).toBe(200);
  const annual = new Map<SupportedLocale, string>();
  for (const locale of SUPPORTED_LOCALES) {
    const created = await api("POST", "/v1/recaps", { account: ACCOUNTS[locale].id, period: "2026", kind: "annual" });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    annual.set(locale, created.body.id);
  }
  const milestones = await waitFor(
    () =>
      t.deps.sql<{ id: string; locale: SupportedLocale }[]>`
        select id, locale from recaps where tenant_id = ${tenant.id} and kind = 'milestone'`,
    (rows) => rows.length === SUPPORTED_LOCALES.length,
    "five milestone recaps",
  );
  // All ten at once: the workers draft and render them side by side.
  await Promise.all(
    SUPPORTED_LOCALES.flatMap((locale) => [
      publish(milestones.find((row) => row.locale === locale)?.id ?? "").then((recap) =>
        made.set(slot("milestone", locale), recap),
      ),
      publish(annual.get(locale) ?? "").then((recap) => made.set(slot("annual", locale), recap)),
    ]),
  );
  server = await listen(t.app);
  chromium = await launchChromium();
}, 600_000);
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await t?.close();
});

const overflow = (page: Page) =>
  page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") as Promise<number>;

/** Opens the page once, and at each width checks it for sideways scrolling and takes its screenshot. */
async function lookAt(path: string, name: string, check: (page: Page) => Promise<void>): Promise<void> {
  // Still pictures: the story's slides would otherwise be caught mid-animation.
  const context = await chromium.newContext({ viewport: { width: WIDTHS[0], height: 900 }, reducedMotion: "reduce" });
  const page = await context.newPage();
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status(), path).toBe(200);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await check(page);
    expect(await overflow(page), `${name}: horizontal overflow at ${width} px`).toBe(0);
    await screenshot(page, `annual-pages/${name}-${width}`);
  }
  // The story's next two slides (the number, the chart) at a phone's width, for a person to look at.
  if (name.startsWith("share-"))
    for (const slide of [2, 3]) {
      await page.keyboard.press("ArrowRight");
      await screenshot(page, `annual-pages/${name}-390-slide${slide}`);
    }
  await context.close();
}

describe.skipIf(!chromiumAvailable)("a milestone and a year-in-review recap in Chromium, in every language", () => {
  for (const kind of KINDS) {
    for (const locale of SUPPORTED_LOCALES) {
      it(`shows the ${kind} recap in ${locale} with its period's words, on the customer's page at 390 and 1280 px, and on the share page`, async () => {
        const recap = made.get(slot(kind, locale));
        if (!recap) throw new Error(`no ${kind} recap in ${locale}`);
        const period = { label: recap.period, ...(kind === "annual" ? { yearToDate: true } : {}) };
        const words = getTranslator(locale, "customer");
        const heading = words(kind === "annual" ? "page.headingYear" : "page.headingMilestone", {
          account: ACCOUNTS[locale].name,
          period: formatPeriodInTitle(period, locale),
        });
        await lookAt(recap.preview, `customer-${kind}-${locale}`, async (page) => {
          await expectHeading(page, heading);
          expect(await page.locator("main").textContent()).not.toMatch(QUARTER_WORDS);
          // The share hub's e-mail to the team names the period the same way.
          const mail = decodeURIComponent((await page.locator('a[data-role="email"]').getAttribute("href")) ?? "");
          expect(mail).toContain(formatPeriodInTitle(period, locale));
          expect(mail).not.toMatch(QUARTER_WORDS);
        });
        // The story opens with the period as a label: "2026 so far", "the last 90 days".
        const label = formatPeriodLabel(period, locale);
        if (locale === LONGEST) {
          await lookAt(recap.share, `share-${kind}-${locale}`, async (page) => {
            expect(await page.locator(".kicker").first().textContent()).toContain(label);
            // Every slide's words (hidden ones too) are about the year or the window, never a quarter.
            expect(await page.locator("main").textContent()).not.toMatch(QUARTER_WORDS);
          });
        } else {
          // The story's layout is the quarterly one, looked at in every language by story-browser:
          // here only its words change, read from the page as served.
          const html = await (await t.app.request(recap.share)).text();
          const main = (html.match(/<main[\s\S]*<\/main>/)?.[0] ?? "").replace(/<[^>]+>/g, " ");
          expect(main).toContain(label);
          expect(main).not.toMatch(QUARTER_WORDS);
        }
      }, 60_000);
    }
  }
});
