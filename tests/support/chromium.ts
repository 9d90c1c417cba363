import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

/** Debian's Chromium; CI installs it. Override with CHROMIUM_PATH for another build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Browser tests run wherever Chromium is installed, and must run in CI (a missing browser fails there). */
export const chromiumAvailable = existsSync(CHROMIUM_PATH) || Boolean(process.env.CI);

/** Screenshots land here (gitignored), for a person or a CI artifact upload to look at. */
export const ARTIFACTS_DIR = join(process.cwd(), "test-artifacts");

/**
 * Whether browser tests write their screenshots: on a developer's machine yes, in CI (where no one
 * looks at them) only with SCREENSHOTS=on, since full-page captures are about a tenth of the
 * browser tests' time; SCREENSHOTS=off skips them anywhere. They assert nothing either way.
 */
export const TAKE_SCREENSHOTS = process.env.SCREENSHOTS ? process.env.SCREENSHOTS !== "off" : !process.env.CI;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A full-page screenshot under test-artifacts/; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!TAKE_SCREENSHOTS) return "";
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Fails with the page's text when a browser test lands somewhere unexpected. */
export async function expectHeading(page: Page, text: string | RegExp): Promise<void> {
  const heading = page.getByRole("heading", { level: 1 });
  await heading.waitFor({ timeout: 10_000 });
  const actual = (await heading.textContent()) ?? "";
  const ok = typeof text === "string" ? actual.includes(text) : text.test(actual);
  if (!ok) throw new Error(`expected the h1 to match ${text}, got "${actual}" on ${page.url()}`);
}

// The tests' tsconfig has no DOM types, so code that runs in the page is passed as strings.

/**
 * Polls an expression with page.evaluate until it is truthy, up to 30 s. Not waitForFunction: it
 * compiles its predicate in the page with eval, which the pages' CSP (`script-src 'self'`) refuses
 * as soon as the first check is false, so it failed only when a resource was slow.
 */
export async function until(page: Page, expression: string, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

/** Waits until the image has loaded and decoded (a broken image has naturalWidth 0). */
export async function imageLoaded(page: Page, selector: string): Promise<void> {
  const css = JSON.stringify(selector);
  await until(
    page,
    `(() => { const img = document.querySelector(${css}); return !!img && img.complete && img.naturalWidth > 0; })()`,
    `the image ${selector}`,
  );
}

/** The focused element's id and text, to check where keyboard focus went. */
export function focused(page: Page): Promise<{ id: string; text: string }> {
  return page.evaluate(
    `(() => ({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent ?? "" }))()`,
  ) as Promise<{ id: string; text: string }>;
}

/** What is in view (a page's first screen, or one element), under test-artifacts/; returns its path. */
export async function screenshotView(target: Page | Locator, name: string): Promise<string> {
  if (!TAKE_SCREENSHOTS) return "";
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await target.screenshot({ path });
  return path;
}
