import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/platform/auth/hashing.js";
import { previewTokens } from "../../src/publishing/publishing.schema.js";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { Browser, hiddenField } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { hiddenNumbersReady } from "../support/hidden-numbers.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
let approvedId: string;
let pendingId: string;

async function waitFor<T>(read: () => Promise<T>, want: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (want(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const recap = (id: string) => call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key });
const linkFor = (id: string, body: unknown = {}, key = a.key) =>
  call(t.app, "POST", `/v1/recaps/${id}/preview-link`, { key, body });
const pathOf = (url: string) => new URL(url).pathname;

async function generate(account: string) {
  const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account } });
  return (
    await waitFor(
      () => recap(created.body.id),
      (r) => r.body.state === "pending_review",
      account,
    )
  ).body.id;
}

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
  pendingId = await generate("harbor-labs");
  approvedId = await generate("kide-analytics");
  const loaded = await recap(approvedId);
  const approved = await call(t.app, "POST", `/v1/recaps/${approvedId}/approve`, {
    key: a.key,
    body: {},
    headers: { "if-match": loaded.headers.get("etag") ?? "" },
  });
  expect(approved.body.state).toBe("approved");
  await waitFor(
    () => call(t.app, "GET", `/v1/recaps/${approvedId}/assets`, { key: a.key }),
    (r) => r.body.data.length === 4,
    "assets",
  );
}, 180_000);
afterAll(() => t.close());

describe("creating a preview link", () => {
  it("gives an approved recap a 7-day link whose token is stored only as a hash", async () => {
    const before = Date.now();
    const link = await linkFor(approvedId);
    expect(link.status).toBe(201);
    // PUBLIC_BASE_URL is unset: the link is at the origin the request came to (app.request's http://localhost).
    expect(link.body.url).toMatch(/^http:\/\/localhost\/p\/[A-Za-z0-9_-]{43}$/);
    const expires = new Date(link.body.expiresAt).getTime();
    expect(expires - before).toBeGreaterThan(7 * 24 * 3_600_000 - 60_000);
    const token = pathOf(link.body.url).split("/")[2] ?? "";
    const rows = await t.deps.db.select().from(previewTokens).where(eq(previewTokens.recapId, approvedId));
    expect(rows.map((row) => row.tokenHash)).toContain(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const short = await linkFor(approvedId, { expiresInHours: 2 });
    expect(new Date(short.body.expiresAt).getTime() - Date.now()).toBeLessThan(2 * 3_600_000 + 1000);
  });

  it("refuses a recap that is not approved (409), another tenant's recap (404), a reviewer key (403) and > 720 h (400)", async () => {
    expectProblem(await linkFor(pendingId), 409, "conflict");
    expectProblem(await linkFor(approvedId, {}, b.key), 404, "not_found");
    const reviewKey = (await makeApiKey(t.deps, a.tenant.id, ["review"])).key;
    expectProblem(await linkFor(approvedId, {}, reviewKey), 403, "insufficient_scope");
    expectProblem(await linkFor(approvedId, { expiresInHours: 721 }), 400, "validation_failed");
  });
});

describe("the customer's preview page", () => {
  it("shows the card, the PDF, a hide box per number and the copy, privately and unindexed", async () => {
    const url = pathOf((await linkFor(approvedId)).body.url);
    const page = await new Browser(t.app).get(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("x-robots-tag")).toContain("noindex");
    expect(page.text).toContain('<meta name="robots" content="noindex, nofollow"/>');
    // The card is rendered for the customer's current choices (look, size, wording): LinkedIn's size first by default.
    expect(page.text).toMatch(new RegExp(`src="${url}/preview/linkedin\\?v=\\d+"`));
    expect(page.text).toContain(`href="${url}/assets/pdf"`);
    // Kide Analytics is a Finnish customer: the page speaks Finnish.
    expect((page.text.match(/Piilota luku:/g) ?? []).length).toBe(3);
    const copy = (await recap(approvedId)).body.copy;
    expect(page.text).toContain('<html lang="fi">');
    expect(page.text).toContain(copy.headline);
    expect(page.text).toContain(">Julkaise</button>");
  });

  it("names a number with the tenant's own labels.fi on a Finnish customer's page", async () => {
    const [stored] = await t.deps.db.select().from(recaps).where(eq(recaps.id, approvedId));
    if (stored?.digest.status !== "ok") throw new Error("the approved recap has no digest");
    const lead = stored.digest.headline[0];
    const facts = stored.digest.facts.map((fact) =>
      fact.id === lead ? { ...fact, labels: { fi: "Täsmäytetyt kuitit", de: "Abgeglichene Belege" } } : fact,
    );
    await t.deps.db
      .update(recaps)
      .set({ digest: { ...stored.digest, facts } })
      .where(eq(recaps.id, approvedId));
    try {
      const page = await new Browser(t.app).get(pathOf((await linkFor(approvedId)).body.url));
      expect(page.text).toMatch(/Piilota luku:(?:<!-- -->)? ?<strong>[^<]+ – Täsmäytetyt kuitit<\/strong>/);
      expect(page.text).not.toContain("Abgeglichene Belege");
    } finally {
      await t.deps.db.update(recaps).set({ digest: stored.digest }).where(eq(recaps.id, approvedId));
    }
  });

  it("serves the card and PDF only for a live token, privately, and no other asset kind", async () => {
    const url = pathOf((await linkFor(approvedId)).body.url);
    const card = await t.app.request(`${url}/assets/linkedin`);
    expect(card.status).toBe(200);
    expect(card.headers.get("cache-control")).toBe("no-store");
    expect((await sharp(Buffer.from(await card.arrayBuffer())).metadata()).width).toBe(1200);
    const pdf = await t.app.request(`${url}/assets/pdf`);
    expect(pdf.headers.get("content-disposition")).toContain("attachment");
    expect((await t.app.request(`${url}/assets/story`)).status).toBe(404);
    expect((await t.app.request(`/p/${"A".repeat(43)}/assets/linkedin`)).status).toBe(404);
  });

  it("answers an expired or unknown link with a friendly 404 page that is not cached", async () => {
    const url = pathOf((await linkFor(approvedId, { expiresInHours: 1 })).body.url);
    const token = url.split("/")[2] ?? "";
    await t.deps.db
      .update(previewTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(previewTokens.tokenHash, sha256(token)));
    for (const path of [url, `${url}/assets/linkedin`, "/p/not-a-token", `/p/${"B".repeat(43)}`]) {
      const page = await t.app.request(path);
      expect(page.status, path).toBe(404);
      expect(page.headers.get("cache-control")).toBe("no-store");
    }
    // The expired link's recap is Finnish, so is the page; an unknown token follows the browser's language.
    const page = await new Browser(t.app).get(url);
    expect(page.text).toContain("Tämä esikatselulinkki ei ole enää voimassa");
    expect(page.text).toContain('<html lang="fi">');
    const german = await t.app.request(`/p/${"C".repeat(43)}`, { headers: { "accept-language": "de-DE,de;q=0.9" } });
    expect(await german.text()).toContain("Dieser Vorschau-Link ist nicht mehr gültig");
    const chosen = await t.app.request(`${url}?lang=sv`);
    expect(await chosen.text()).toContain("Den här förhandsvisningslänken gäller inte längre");
    const publish = await t.app.request(`${url}/publish`, { method: "POST" });
    expect(publish.status).toBe(404);
  });
});

describe("publishing from the preview page", () => {
  it("refuses a post from another origin (403) and changes nothing", async () => {
    const url = pathOf((await linkFor(approvedId)).body.url);
    const page = await new Browser(t.app).get(url);
    const response = await t.app.request(`${url}/publish`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ version: hiddenField(page.text, "version") }).toString(),
    });
    expect(response.status).toBe(403);
    expect((await recap(approvedId)).body.state).toBe("approved");
  });

  it("keeps the language the customer chose (?lang=) on its forms and after a post", async () => {
    const url = pathOf((await linkFor(approvedId)).body.url);
    const customer = new Browser(t.app);
    const page = await customer.get(`${url}?lang=de`);
    expect(page.text).toContain('<html lang="de">');
    expect(page.text).toContain(`action="${url}/publish?lang=de"`);
    expect(page.text).toContain(">Veröffentlichen</button>");
    const unchanged = await customer.post(`${url}/hide?lang=de`, { version: hiddenField(page.text, "version") });
    expect(unchanged.status).toBe(303);
    expect(unchanged.location).toBe(`${url}?lang=de`);
    // A language the page does not speak is ignored: the recap's own (Finnish) is used.
    expect((await customer.get(`${url}?lang=xx`)).text).toContain('<html lang="fi">');
  });

  it("publishes with a hidden number, records the customer in the history, and unpublishes", async () => {
    const url = pathOf((await linkFor(approvedId)).body.url);
    const customer = new Browser(t.app);
    const page = await customer.get(url);
    const hide = /name="hide" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    const stale = await customer.post(`${url}/publish`, { version: "1", hide });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("Katsaus on muuttunut sen jälkeen, kun avasit sivun.");
    const all = [...page.text.matchAll(/name="hide" value="([^"]+)"/g)].map((m) => m[1] ?? "");
    const body = new URLSearchParams({ version: hiddenField(page.text, "version") });
    for (const id of all) body.append("hide", id);
    const everything = await t.app.request(`${url}/publish`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "null" },
      body: body.toString(),
    });
    expect(everything.status).toBe(400);
    // Ticking a number re-writes the text without it first; publishing waits until the customer has read it.
    const hiding = await customer.post(`${url}/publish`, { version: hiddenField(page.text, "version"), hide });
    expect(hiding.status).toBe(303);
    expect(hiding.location).toBe(`${url}?done=hiding`);
    expect((await recap(approvedId)).body.state).toBe("approved");
    await expect.poll(() => hiddenNumbersReady(t.app, a.key, approvedId), { timeout: 60_000 }).toBe(true);
    const ready = await customer.get(url);
    const published = await customer.post(`${url}/publish`, { version: hiddenField(ready.text, "version"), hide });
    expect(published.status).toBe(303);
    expect(published.location).toBe(`${url}?done=published`);
    const confirmation = await customer.get(published.location ?? "");
    expect(confirmation.text).toContain("Julkaistu. Kiitos!");
    expect(confirmation.text).toContain(">Peru julkaisu</button>");
    expect((await recap(approvedId)).body.state).toBe("published");
    const events = (await call(t.app, "GET", `/v1/recaps/${approvedId}/history`, { key: a.key })).body.data;
    expect(events.at(-1)).toMatchObject({
      action: "publish",
      actor: { type: "customer", id: null, name: "end customer via preview link" },
    });
    const consent = events.at(-1).changes.find((change: { field: string }) => change.field === "consent");
    expect(consent.to.hiddenFactIds).toEqual([hide]);
    const down = await customer.post(`${url}/unpublish`, { version: hiddenField(confirmation.text, "version") });
    expect(down.status).toBe(303);
    expect((await recap(approvedId)).body.state).toBe("unpublished");
    expect((await customer.get(url)).text).toContain("Poistit katsauksen julkisuudesta.");
  });
});
