import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moveDemoSignupUrl, seedDemoIfEmpty } from "../../src/demo/demo-seed.js";
import { getTranslator } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { conversions } from "../../src/loop/loop.schema.js";
import { tenants } from "../../src/platform/tenancy/tenancy.schema.js";
import { findTenantBySlug } from "../../src/platform/tenancy/tenants.js";
import { createLink, publishedRecap, type SharingTenant, sharingTenant } from "../sharing/sharing-support.js";
import { chromiumAvailable, expectHeading, launchChromium, screenshot } from "../support/chromium.js";
import { makeApiKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";
import { type Receiver, startReceiver } from "../webhooks/receiver.js";

const BASE = "https://recaps.example.com";

let t: TestContext;
let dataDir: string;
let receiver: Receiver;
let demo: SharingTenant;
let other: SharingTenant;
let demoRecap: Awaited<ReturnType<typeof publishedRecap>>;
let demoLink: Awaited<ReturnType<typeof createLink>>;
let foreignLink: Awaited<ReturnType<typeof createLink>>;

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.request("/demo/signup", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
const conversionCount = async () =>
  (await t.deps.db.execute<{ count: number }>(sql`select count(*)::int as count from conversions`))[0]?.count;
const loopMessages = async (recapId: string) =>
  (
    await t.deps.db.execute<{ count: number }>(
      sql`select count(*)::int as count from webhook_messages where type = 'loop.completed' and payload->>'recapId' = ${recapId}`,
    )
  )[0]?.count;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "demo-signup-"));
  t = await createTestContext({ env: { WEBHOOKS_ALLOW_INSECURE: "true", PUBLIC_BASE_URL: BASE, DATA_DIR: dataDir } });
  t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
  receiver = await startReceiver();
  // The demo tenant exactly as `serve` seeds it on an empty database.
  expect(await seedDemoIfEmpty(t.deps)).toBeDefined();
  const tenant = await findTenantBySlug(t.deps.db, "demo");
  if (!tenant) throw new Error("no demo tenant");
  const key = async (scopes?: Parameters<typeof makeApiKey>[2]) => (await makeApiKey(t.deps, tenant.id, scopes)).key;
  demo = {
    tenant,
    key: await key(),
    backendKey: await key(["recaps:read", "recaps:write"]),
    readerKey: await key(["recaps:read"]),
    reviewKey: await key(["review", "recaps:read"]),
  } as SharingTenant;
  other = await sharingTenant(t, `${BASE}/demo/signup`);
  await t.startWorkers();
  const endpoint = await call(t.app, "POST", "/v1/webhooks", {
    key: demo.key,
    body: { url: `${receiver.origin}/loop`, events: ["loop.completed"] },
  });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  demoRecap = await publishedRecap(t, demo, "kide-analytics");
  demoLink = await createLink(t, demo.backendKey, demoRecap.id, "linkedin");
  const otherRecap = await publishedRecap(t, other, "team-21");
  foreignLink = await createLink(t, other.backendKey, otherRecap.id, "email");
}, 180_000);
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the demo signup page", () => {
  it("is where a demo share link leads, and shows a localized form that says it is a demo", async () => {
    // A path, so the visitor stays on the origin they came through (127.0.0.1, a proxy's domain…).
    expect(demo.tenant.signupUrl).toBe("/demo/signup");
    const redirect = await t.app.request(`http://127.0.0.1:3000/r/${demoLink.code}`, {
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" },
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toMatch(/^\/demo\/signup\?ref=/);
    const location = new URL(redirect.headers.get("location") ?? "", "http://127.0.0.1:3000/r/x");
    expect(`${location.origin}${location.pathname}`).toBe("http://127.0.0.1:3000/demo/signup");
    expect(location.searchParams.get("ref")).toBe(demoLink.code);

    // The shared recap is Finnish, so the newcomer's page is too; ?lang= switches it.
    const page = await t.app.request(`${location.pathname}${location.search}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="fi">');
    expect(html).toContain("Tämä on demo");
    expect(html).toContain(`name="ref" value="${demoLink.code}"`);
    const english = await (await t.app.request(`/demo/signup?ref=${demoLink.code}&lang=en`)).text();
    expect(english).toContain("This is a demo");
    expect(english).toContain(`href="/demo/signup?ref=${demoLink.code}&amp;lang=de"`);
  });

  it("records a signup with the link's ref, fires loop.completed once, and links to the growth dashboard", async () => {
    const before = await conversionCount();
    const signedUp = await form({ ref: demoLink.code, lang: "en", name: "Maria Demo", email: "Maria@Example.com" });
    expect(signedUp.status).toBe(200);
    const html = await signedUp.text();
    expect(html).toContain("the loop closed");
    expect(html).toContain('href="/review/growth"');
    const rows = await t.deps.db.select().from(conversions).where(eq(conversions.ref, demoLink.code));
    expect(rows).toMatchObject([
      { tenantId: demo.tenant.id, recapId: demoRecap.id, type: "signup", externalUserId: "demo:maria@example.com" },
    ]);
    // The same newcomer again (a reload) is not a second signup.
    const again = await form({ ref: demoLink.code, lang: "en", name: "Maria Demo", email: "maria@example.com" });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("counted once");
    // A second newcomer through the same recap is a signup, but the loop completed only once.
    expect((await form({ ref: demoLink.code, name: "Juha", email: "juha@example.fi" })).status).toBe(200);
    expect(await conversionCount()).toBe((before ?? 0) + 2);
    await expect.poll(() => receiver.received("/loop").length, { timeout: 30_000 }).toBe(1);
    expect(await loopMessages(demoRecap.id)).toBe(1);
  });

  it("refuses another tenant's ref with a clear page and records nothing", async () => {
    const before = await conversionCount();
    const shown = await t.app.request(`/demo/signup?ref=${foreignLink.code}&lang=en`);
    expect(shown.status).toBe(403);
    expect(await shown.text()).toContain("This link is not part of the demo");
    const posted = await form({ ref: foreignLink.code, lang: "de", name: "Eve", email: "eve@example.com" });
    expect(posted.status).toBe(403);
    const html = await posted.text();
    expect(html).toContain("Dieser Link gehört nicht zur Demo");
    expect(html).toContain("Es wurde nichts gespeichert.");
    expect(await conversionCount()).toBe(before);
  });

  it("answers a missing or unknown ref and a bad form with a clear page, recording nothing", async () => {
    const before = await conversionCount();
    for (const path of ["/demo/signup", "/demo/signup?ref=nosuchcode00", "/demo/signup?ref=%3Cscript%3E"]) {
      const page = await t.app.request(path, { headers: { "accept-language": "sv-SE,sv;q=0.9" } });
      expect(page.status, path).toBe(404);
      const html = await page.text();
      expect(html).toContain('<html lang="sv">');
      expect(html).toContain("Registreringslänken är inte komplett");
    }
    expect((await form({ name: "No Ref", email: "noref@example.com", lang: "en" })).status).toBe(404);
    expect((await form({ ref: "nosuchcode00", name: "X", email: "x@example.com" })).status).toBe(404);
    const bad = await form({ ref: demoLink.code, lang: "en", name: " ", email: "not-an-address" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Enter a name");
    expect(html).toContain("Enter an e-mail address");
    expect(html).toContain('value="not-an-address"');
    expect(await conversionCount()).toBe(before);
  });

  it("refuses an address that already signed up through another link, recording nothing", async () => {
    const second = await createLink(t, demo.backendKey, demoRecap.id, "email");
    const before = await conversionCount();
    const taken = await form({ ref: second.code, lang: "en", name: "Maria", email: "maria@example.com" });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("already signed up");
    expect(await conversionCount()).toBe(before);
  });
});

describe("an existing demo database", () => {
  it.each(["/demo-signup", "/demo/signup"])(
    "has its old absolute %s URL moved to the signup page's path at start-up, other tenants untouched",
    async (old) => {
      await t.deps.db
        .update(tenants)
        .set({ signupUrl: `http://localhost:3000${old}` })
        .where(eq(tenants.id, demo.tenant.id));
      await t.deps.db
        .update(tenants)
        .set({ signupUrl: `${BASE}${old}` })
        .where(eq(tenants.id, other.tenant.id));
      await seedDemoIfEmpty(t.deps);
      expect((await findTenantBySlug(t.deps.db, "demo"))?.signupUrl).toBe("/demo/signup");
      const [untouched] = await t.deps.db.select().from(tenants).where(eq(tenants.id, other.tenant.id));
      expect(untouched?.signupUrl).toBe(`${BASE}${old}`);
      // Nothing to move the second time.
      expect(await moveDemoSignupUrl(t.deps)).toBe(false);
    },
  );
});

describe.skipIf(!chromiumAvailable)("the demo signup page in Chromium", () => {
  it("reads well in every language at 390 and 1280 px, without horizontal overflow, and closes the loop", async () => {
    const server = await listen(t.app);
    const chromium = await launchChromium();
    try {
      for (const locale of SUPPORTED_LOCALES) {
        const words = getTranslator(locale, "demo");
        for (const width of [390, 1280]) {
          const context = await chromium.newContext({ viewport: { width, height: 900 } });
          const page = await context.newPage();
          await page.goto(`${server.url}/demo/signup?ref=${demoLink.code}&lang=${locale}`);
          await expectHeading(page, words("heading"));
          expect(await page.evaluate("document.documentElement.lang")).toBe(locale);
          expect(await page.getByText(words("note")).isVisible()).toBe(true);
          const overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
          );
          expect(overflow, `${locale} at ${width} px`).toBe(0);
          await screenshot(page, `demo-signup-${locale}-${width}`);
          if (locale === "fi" && width === 390) {
            await page.getByLabel(words("name")).fill("Aino Demo");
            await page.getByLabel(words("email")).fill("aino@example.fi");
            await page.getByRole("button", { name: words("submit") }).click();
            await expectHeading(page, words("doneHeading"));
            expect(await page.getByRole("link", { name: words("dashboard") }).getAttribute("href")).toBe(
              "/review/growth",
            );
            await screenshot(page, "demo-signed-up-fi-390");
          }
          await context.close();
        }
      }
    } finally {
      await chromium.close();
      await server.close();
    }
  }, 120_000);
});
