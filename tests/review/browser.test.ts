import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recapAssets } from "../../src/assets/assets.schema.js";
import {
  chromiumAvailable,
  expectHeading,
  focused,
  imageLoaded,
  launchChromium,
  screenshot,
} from "../support/chromium.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser, TEST_PASSWORD } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

let t: TestContext;
let server: Awaited<ReturnType<typeof listen>>;
let chromium: Browser;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;
const shots: string[] = [];

async function waitFor<T>(read: () => Promise<T>, want: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (want(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

type Asset = { kind: string; publicUrl: string | null };
const cardRow = async (recapId: string) =>
  (await t.deps.db.select().from(recapAssets).where(eq(recapAssets.recapId, recapId))).find(
    (r) => r.kind === "linkedin",
  );

const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(t.app, method, path, { key: tenant.key, ...options });

async function signIn(email: string): Promise<Page> {
  const page = await (await chromium.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${server.url}/review/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectHeading(page, "Review queue");
  return page;
}

beforeAll(async () => {
  if (!chromiumAvailable) return;
  t = await createTestContext();
  tenant = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, tenant.tenant.id);
  await t.startWorkers();
  server = await listen(t.app);
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await t?.close();
});

describe.skipIf(!chromiumAvailable)("reviewing and publishing in Chromium", () => {
  it("fixes a flagged number, approves, refuses a stale page, and lets the customer publish with a number hidden", async () => {
    // A draft with an invented number, as a careless edit through the API would leave it.
    const created = await api("POST", "/v1/recaps", { body: { account: "harbor-labs" } });
    const id: string = created.body.id;
    const drafted = await waitFor(
      () => api("GET", `/v1/recaps/${id}`),
      (r) => r.body.state === "pending_review",
      "draft",
    );
    const original: string = drafted.body.copy.subheadline;
    const flagged = await api("PATCH", `/v1/recaps/${id}/copy`, {
      body: { subheadline: "Up 999 % on last quarter." },
      headers: { "if-match": drafted.headers.get("etag") ?? "" },
    });
    expect(flagged.body.flagged).toBe(true);

    const first = await signIn((await makeUser(t.deps, tenant.tenant.id)).email);
    const second = await signIn((await makeUser(t.deps, tenant.tenant.id)).email);
    // The second reviewer opens the recap now, before the first one changes it.
    await second.goto(`${server.url}/review/recaps/${id}`);
    await expectHeading(second, "Harbor Labs Ltd");

    // The queue: keyboard users land on the skip link first; the flagged filter finds the draft.
    await first.keyboard.press("Tab");
    expect((await focused(first)).text).toBe("Skip to content");
    await first.getByLabel("Flagged", { exact: true }).selectOption("yes");
    await first.getByRole("button", { name: "Apply filters" }).click();
    await first.waitForURL(/flagged=yes/);
    shots.push(await screenshot(first, "review-queue-flagged"));
    await first.getByRole("link", { name: "Harbor Labs Ltd" }).click();
    await expectHeading(first, "Harbor Labs Ltd");
    await imageLoaded(first, ".preview img");
    const mismatch = first.locator("mark.num.bad").first();
    expect(await mismatch.textContent()).toContain("999");
    shots.push(await screenshot(first, "review-recap-flagged"));

    // The first reviewer fixes the number and approves.
    await first.getByLabel("Subheadline").fill(original);
    await first.getByRole("button", { name: "Save copy" }).click();
    await first.waitForURL(/done=saved/);
    await expect.poll(() => first.getByRole("status").first().textContent()).toContain("Copy saved.");
    expect(await first.locator("mark.num.bad").count()).toBe(0);
    await first.getByRole("button", { name: "Approve", exact: true }).click();
    await first.waitForURL(/done=approved/);
    expect(await first.locator("h1").textContent()).toContain("approved");
    shots.push(await screenshot(first, "review-recap-approved"));

    // The second reviewer's page is stale: the live count works, but saving is refused, clearly.
    const post = second.getByLabel("LinkedIn post");
    const before = Number(await second.locator("[data-count]").textContent());
    await post.press("End");
    await post.pressSequentially(" Extra");
    await expect.poll(async () => Number(await second.locator("[data-count]").textContent())).toBe(before + 6);
    await second.getByLabel("Call to action").fill("Mine instead");
    await second.getByRole("button", { name: "Save copy" }).click();
    const alert = second.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      "Someone else changed this recap since you opened it — reload to see their changes.",
    );
    expect((await focused(second)).id).toBe("problem");
    expect(await second.getByLabel("Call to action").inputValue()).toBe("Mine instead");
    shots.push(await screenshot(second, "review-conflict"));
    const approved = await api("GET", `/v1/recaps/${id}`);
    expect(approved.body).toMatchObject({ state: "approved", flagged: false });
    expect(approved.body.copy.subheadline).toBe(original);

    // The end customer: the product shows them the private link; they hide a number and publish.
    const assetsAt = async () => (await api("GET", `/v1/recaps/${id}/assets`)).body.data;
    await waitFor(assetsAt, (list) => list.length === 4, "approval render");
    const oldKey = (await cardRow(id))?.assetKey;
    const link = await api("POST", `/v1/recaps/${id}/preview-link`, { body: { expiresInHours: 24 } });
    const customer = await (await chromium.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await customer.goto(`${server.url}${new URL(link.body.url).pathname}`);
    await expectHeading(customer, "Harbor Labs Ltd");
    await imageLoaded(customer, "section img");
    const box = customer.getByLabel(/Hide this number/).first();
    const hiddenFact = await box.getAttribute("value");
    await box.check();
    shots.push(await screenshot(customer, "customer-preview"));
    // Publishing with a number ticked re-writes the text without it first; the page's script
    // reloads it once the new text and card are ready, and only then may the customer publish.
    await customer.getByRole("button", { name: "Publish" }).click();
    await customer.waitForURL(/done=(hiding|updated)/);
    await customer.getByText("ready without the numbers you hid").waitFor({ timeout: 60_000 });
    await imageLoaded(customer, "section img");
    await customer.getByRole("button", { name: "Publish" }).click();
    await customer.waitForURL(/done=published/);
    expect(await customer.getByRole("status").textContent()).toContain("Published.");
    expect(await customer.getByRole("button", { name: "Unpublish" }).isVisible()).toBe(true);
    shots.push(await screenshot(customer, "customer-published"));

    const events = (await api("GET", `/v1/recaps/${id}/history`)).body.data;
    expect(events.at(-1)).toMatchObject({ action: "publish", actor: { type: "customer" } });
    // Re-rendered without the hidden number; the public address of the new card serves, to anyone.
    const list = await waitFor(
      assetsAt,
      (items) => items.some((a: Asset) => a.kind === "linkedin" && a.publicUrl && !a.publicUrl.includes(`${oldKey}`)),
      "the card rendered without the hidden number",
    );
    const card = list.find((asset: Asset) => asset.kind === "linkedin");
    const response = await fetch(`${server.url}${new URL(card.publicUrl).pathname}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect((await fetch(`${server.url}/assets/${oldKey}.png`)).status).toBe(404);
    expect(hiddenFact).toBeTruthy();
    console.info(`screenshots: ${shots.join(", ")}`);
  }, 180_000);
});
