import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLoopScenario } from "../loop/loop-scenario.js";
import {
  chromiumAvailable,
  expectHeading,
  focused,
  launchChromium,
  screenshot,
  screenshotView,
} from "../support/chromium.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser, TEST_PASSWORD } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

/** A phone, a tablet and a laptop; the heights are those devices' usual viewports. */
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1280, height: 900 },
];

let t: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let chromium: Browser;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;
let recapId: string;

async function waitForPending(id: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const recap = await call(t.app, "GET", `/v1/recaps/${id}`, { key: tenant.key });
    if (recap.body.state === "pending_review") return;
    if (Date.now() > deadline) throw new Error(`recap ${id} stayed ${recap.body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function signIn(email: string): Promise<Page> {
  const page = await (await chromium.newContext({ viewport: VIEWPORTS[0] })).newPage();
  await page.goto(`${server.url}/review/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectHeading(page, "Review queue");
  return page;
}

// The tests' tsconfig has no DOM types, so code that runs in the page is passed as strings.

/** How wide the document is against the viewport: wider means the page scrolls sideways. */
const widths = (page: Page) =>
  page.evaluate(`({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })`) as Promise<{
    scroll: number;
    inner: number;
  }>;

/** The decision bar's buttons (and disclosures) that are not wholly inside the viewport. */
const controlsOutside = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll(".decision-bar button, .decision-bar summary")]
    .filter((el) => el.checkVisibility())
    .filter((el) => { const r = el.getBoundingClientRect();
      return r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth; })
    .map((el) => el.textContent)`) as Promise<string[]>;

const decisionControls = (page: Page) =>
  page.evaluate(
    `[...document.querySelectorAll(".decision-bar button, .decision-bar summary")]
      .filter((el) => el.checkVisibility()).map((el) => el.textContent)`,
  ) as Promise<string[]>;

async function expectFits(page: Page, name: string, width: number) {
  await screenshot(page, `review-${name}-${width}`);
  // What the reviewer sees first, without scrolling (the full page is too long to judge on a phone).
  await screenshotView(page, `review-${name}-${width}-first-screen`);
  const measured = await widths(page);
  expect(measured.scroll, `${name} at ${width} px is ${measured.scroll} px wide`).toBeLessThanOrEqual(measured.inner);
}

beforeAll(async () => {
  if (!chromiumAvailable) return;
  t = await createTestContext();
  tenant = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, tenant.tenant.id);
  await writeLoopScenario(t.deps.sql, tenant.tenant.id);
  await t.startWorkers();
  const created = await call(t.app, "POST", "/v1/recaps", { key: tenant.key, body: { account: "harbor-labs" } });
  recapId = created.body.id;
  await waitForPending(recapId);
  server = await listen(t.app);
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await t?.close();
});

describe.skipIf(!chromiumAvailable)("the review pages on a phone, a tablet and a laptop", () => {
  it("show the queue, the recap screen and the growth dashboard without sideways scrolling", async () => {
    const page = await signIn((await makeUser(t.deps, tenant.tenant.id)).email);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto(`${server.url}/review?state=all`);
      await expectFits(page, "queue", viewport.width);
      expect(await page.getByRole("link", { name: "Growth dashboard" }).isVisible()).toBe(true);
      await page.goto(`${server.url}/review/recaps/${recapId}`);
      await expectFits(page, "recap", viewport.width);
      for (const part of ["facts", "history"]) {
        await page.locator(`section[aria-labelledby="${part}-heading"]`);
        await screenshotView(
          page.locator(`section[aria-labelledby="${part}-heading"]`),
          `review-recap-${viewport.width}-${part}`,
        );
      }
      await page.goto(`${server.url}/review/growth?from=2026-07-01&to=2026-09-30`);
      await expectHeading(page, "Growth loop");
      await expectFits(page, "growth", viewport.width);
    }
  }, 120_000);

  it("keeps every decision of the recap screen in view without scrolling, and after scrolling to the end", async () => {
    const page = await signIn((await makeUser(t.deps, tenant.tenant.id)).email);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto(`${server.url}/review/recaps/${recapId}`);
      expect(await decisionControls(page)).toEqual(["Approve", "Reject…", "Redraft…"]);
      expect(await controlsOutside(page), `at ${viewport.width} px on load`).toEqual([]);
      await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)");
      expect(await page.evaluate("window.scrollY")).toBeGreaterThan(0);
      expect(await controlsOutside(page), `at ${viewport.width} px scrolled to the end`).toEqual([]);
    }

    // Approving from the bar on a phone, then creating the customer's link from the same bar.
    await page.setViewportSize(VIEWPORTS[0] ?? { width: 390, height: 844 });
    await page.goto(`${server.url}/review/recaps/${recapId}`);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.waitForURL(/done=approved/);
    expect(await decisionControls(page)).toContain("Create preview link for the customer");
    expect(await controlsOutside(page)).toEqual([]);
    await page.getByRole("button", { name: "Create preview link for the customer" }).click();
    const link = page.getByLabel(/Preview link for the customer/);
    await link.waitFor();
    expect(await link.inputValue()).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);
    expect(await page.getByRole("button", { name: "Copy link" }).isVisible()).toBe(true);
    await expectFits(page, "recap-link", 390);
    const customer = await (await chromium.newContext()).newPage();
    await customer.goto(`${server.url}${new URL(await link.inputValue()).pathname}`);
    await expectHeading(customer, "Harbor Labs Ltd");
  }, 120_000);

  it("moves through the queue with j and k, opens a recap with o and approves a clean draft with a", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", { key: tenant.key, body: { account: "kide-analytics" } });
    await waitForPending(created.body.id);
    const page = await signIn((await makeUser(t.deps, tenant.tenant.id)).email);
    await page.setViewportSize(VIEWPORTS[2] ?? { width: 1280, height: 900 });
    await page.goto(`${server.url}/review`);
    await page.getByLabel("Keyboard shortcuts").waitFor();
    await page.keyboard.press("j");
    expect((await focused(page)).text).toBe("Kide Analytics Oy");
    await page.keyboard.press("j");
    expect((await focused(page)).text).not.toBe("Kide Analytics Oy");
    await page.keyboard.press("k");
    expect((await focused(page)).text).toBe("Kide Analytics Oy");
    await page.keyboard.press("o");
    await expectHeading(page, "Kide Analytics Oy");

    // Letters typed into a filter are text, not shortcuts.
    await page.goto(`${server.url}/review`);
    await page.getByLabel("Account").pressSequentially("joka");
    expect(await page.getByLabel("Account").inputValue()).toBe("joka");
    expect(new URL(page.url()).pathname).toBe("/review");

    await page.keyboard.press("Escape");
    await page.locator("h1").click();
    await page.keyboard.press("j");
    await page.keyboard.press("a");
    await page.getByText("Bulk approval: 1 of 1 approved.").waitFor();
    const recap = await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: tenant.key });
    expect(recap.body.state).toBe("approved");
  }, 120_000);
});
