import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import type { Browser as Chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../support/browser.js";
import { chromiumAvailable, expectHeading, launchChromium, screenshot } from "../support/chromium.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser, TEST_PASSWORD } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";
import { approvedRecap, emailJobsDone, setContact } from "./support.js";

/** Without SMTP_URL the message is kept in the data folder's outbox and shown to the tenant's reviewers. */
let t: TestContext;
let dataDir: string;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let reviewer: Browser;
let outsider: Browser;
let recapId: string;
let reviewerEmail: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "outbox-test-"));
  t = await createTestContext({ env: { DATA_DIR: dataDir } });
  a = await makeTenantWithKey(t.deps);
  const other = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
  reviewer = new Browser(t.app);
  reviewerEmail = (await makeUser(t.deps, a.tenant.id)).email;
  await reviewer.signIn(reviewerEmail);
  outsider = new Browser(t.app);
  await outsider.signIn((await makeUser(t.deps, other.tenant.id)).email);
  await setContact(t, a.key, "aurora-logistics", {
    contactEmail: "kati@aurora.test",
    contactConsent: { consentedAt: "2026-05-04T09:30:00+03:00", source: "account settings" },
  });
  recapId = (await approvedRecap(t, a.key, "aurora-logistics")).body.id;
  await emailJobsDone(t, recapId);
}, 180_000);
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!chromiumAvailable)("the outbox page and the e-mail in Chromium", () => {
  let chromium: Chromium;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen(t.app);
    chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  for (const width of [390, 1280]) {
    it(`shows the outbox and the message's HTML at ${width} px without horizontal overflow`, async () => {
      const context = await chromium.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/review/login?next=%2Freview%2Foutbox`);
      await page.getByLabel("E-mail").fill(reviewerEmail);
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expectHeading(page, "Customer e-mails");
      expect(await page.textContent("body")).toContain("kati@aurora.test");
      expect(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).toBeLessThanOrEqual(0);
      await screenshot(page, `outbox-${width}`);

      const folder = join(dataDir, "outbox", a.tenant.id);
      const [file] = await readdir(folder);
      const message = await simpleParser(await readFile(join(folder, file ?? "")));
      await page.setContent(String(message.html));
      expect(await page.textContent("body")).toContain("Vaata üle ja avalda");
      expect(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")).toBeLessThanOrEqual(0);
      await screenshot(page, `customer-email-et-${width}`);
      await context.close();
    }, 60_000);
  }
});

describe("the outbox", () => {
  it("holds the Estonian message as an .eml file in the tenant's folder of the data folder", async () => {
    const folder = join(dataDir, "outbox", a.tenant.id);
    const files = await readdir(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`-${recapId}-v\\d+\\.eml$`));
    const message = await simpleParser(await readFile(join(folder, files[0] ?? "")));
    expect(message.subject).toBe("Teie kvartali kokkuvõte on valmis – vaadake üle ja avaldage");
    expect(JSON.stringify(message.to)).toContain("kati@aurora.test");
    const link = /http:\/\/localhost:3000(\/p\/[A-Za-z0-9_-]{43})/.exec(message.text ?? "");
    expect((await t.app.request(link?.[1] ?? "/p/missing")).status).toBe(200);
  });

  it("lists the message for a reviewer of the tenant and opens it", async () => {
    const page = await reviewer.get("/review/outbox");
    expect(page.status).toBe(200);
    expect(page.text).toContain("kati@aurora.test");
    expect(page.text).toContain("Teie kvartali kokkuvõte on valmis");
    const href = /href="(\/review\/outbox\/message\?id=[0-9a-f-]{36})"/.exec(page.text)?.[1];
    expect(href).toBeDefined();
    const raw = await reviewer.get(href ?? "");
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(raw.text).toContain("To: kati@aurora.test");
  });

  it("shows a reviewer of another tenant neither the list entry nor the message", async () => {
    const page = await outsider.get("/review/outbox");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("kati@aurora.test");
    const href = /href="(\/review\/outbox\/message\?id=[0-9a-f-]{36})"/.exec(
      (await reviewer.get("/review/outbox")).text,
    )?.[1];
    const raw = await outsider.get(href ?? "");
    expect(raw.status).toBe(404);
    expect(raw.text).not.toContain("kati@aurora.test");
  });

  it("deletes the message with the account when the account is erased", async () => {
    const erased = await call(t.app, "POST", "/v1/accounts/aurora-logistics/erasure", { key: a.key });
    expect(erased.status, erased.text).toBe(200);
    expect(await readdir(join(dataDir, "outbox", a.tenant.id))).toEqual([]);
    const page = await reviewer.get("/review/outbox");
    expect(page.text).not.toContain("kati@aurora.test");
  });

  it("sends someone who is not signed in to the sign-in form", async () => {
    const page = await new Browser(t.app).get("/review/outbox");
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/review/login?next=${encodeURIComponent("/review/outbox")}`);
  });
});
