import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/platform/tenancy/users.js";
import { chromiumAvailable, expectHeading, launchChromium, screenshot } from "../support/chromium.js";
import { makeTenant, TEST_PASSWORD } from "../support/factories.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

// One address with one password in two tenants: the sign-in form asks which workspace, in a real
// browser, at a phone's and a laptop's width.

let t: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let chromium: Browser;
const EMAIL = "pat.both@example.test";

beforeAll(async () => {
  if (!chromiumAvailable) return;
  t = await createTestContext();
  for (const name of ["Acme Analytics", "Globex Logistics with a rather long workspace name"]) {
    const tenant = await makeTenant(t.deps, { name });
    await createUser(t.deps.db, {
      tenantId: tenant.id,
      email: EMAIL,
      name: "Pat Both",
      role: "reviewer",
      password: TEST_PASSWORD,
    });
  }
  server = await listen(t.app);
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await t?.close();
});

describe.skipIf(!chromiumAvailable)("choosing a workspace at sign-in in Chromium", () => {
  for (const width of [390, 1280]) {
    it(`asks which workspace at ${width} px without horizontal overflow, and opens the chosen one`, async () => {
      const context = await chromium.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/review/login`);
      await page.getByLabel("E-mail").fill(EMAIL);
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();

      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain("more than one workspace");
      const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `login-choose-workspace-${width}`);

      await page.getByLabel(/Globex Logistics/).check();
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expectHeading(page, "Review queue");
      expect(await page.textContent("body")).toContain("Globex Logistics");
      await context.close();
    }, 60_000);
  }
});
