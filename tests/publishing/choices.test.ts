import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/platform/auth/hashing.js";
import { previewTokens } from "../../src/publishing/publishing.schema.js";
import { checkCopyFor } from "../../src/recaps/recap-changes.js";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { Browser, hiddenField } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
/** A Finnish recap (Kide Analytics) the customer makes theirs, and an English one beside it. */
let fiId: string;
let enId: string;
let bId: string;
let fiUrl: string;
let enUrl: string;
let bUrl: string;

async function waitFor<T>(read: () => Promise<T>, want: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (want(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const recapOf = (id: string, key = a.key) => call(t.app, "GET", `/v1/recaps/${id}`, { key });
const row = async (id: string) => (await t.deps.db.select().from(recaps).where(eq(recaps.id, id)))[0]!;
const historyOf = async (id: string, key = a.key) =>
  (await call(t.app, "GET", `/v1/recaps/${id}/history`, { key })).body.data as {
    action: string;
    actor: { type: string };
    changes: { field: string; from: unknown; to: unknown }[];
  }[];

/** An approved recap with its cards, and the path of a customer's preview link. */
async function approvedWithLink(tenant: typeof a, account: string): Promise<[string, string]> {
  const created = await call(t.app, "POST", "/v1/recaps", { key: tenant.key, body: { account } });
  const drafted = await waitFor(
    () => recapOf(created.body.id, tenant.key),
    (r) => r.body.state === "pending_review",
    account,
  );
  const approved = await call(t.app, "POST", `/v1/recaps/${created.body.id}/approve`, {
    key: tenant.key,
    body: {},
    headers: { "if-match": drafted.headers.get("etag") ?? "" },
  });
  expect(approved.body.state).toBe("approved");
  const link = await call(t.app, "POST", `/v1/recaps/${created.body.id}/preview-link`, { key: tenant.key, body: {} });
  return [created.body.id, new URL(link.body.url).pathname];
}

/** Opens the page and sends one of its forms as a browser would (same origin, the version it showed). */
async function submit(url: string, action: string, fields: Record<string, string>, customer = new Browser(t.app)) {
  const page = await customer.get(url);
  return customer.post(`${url}/${action}`, { version: hiddenField(page.text, "version"), ...fields });
}

/** The recap's row as far as a refusal must leave it: version, copy, alternatives, choices. */
const snapshot = async (id: string) => {
  const { version, copy, copyAlternatives, customerChoices, state } = await row(id);
  return JSON.stringify({ version, copy, copyAlternatives, customerChoices, state });
};

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await seedDemoUsage(t.deps, b.tenant.id);
  await t.startWorkers();
  [fiId, fiUrl] = await approvedWithLink(a, "kide-analytics");
  [enId, enUrl] = await approvedWithLink(a, "harbor-labs");
  [bId, bUrl] = await approvedWithLink(b, "kide-analytics");
}, 240_000);
afterAll(() => t.close());

describe("the drafted wordings the customer chooses from", () => {
  it("stores two other wordings with the copy, each passing the same fact-check, and offers all three on the page", async () => {
    const recap = await row(fiId);
    expect(recap.copyAlternatives).toHaveLength(2);
    for (const wording of recap.copyAlternatives) {
      expect(wording.headline === recap.copy?.headline && wording.linkedinPost === recap.copy?.linkedinPost).toBe(
        false,
      );
      const checked = await checkCopyFor(t.deps.db, recap, { ...recap.copy!, ...wording });
      expect(checked.mismatches).toEqual([]);
    }
    const page = await new Browser(t.app).get(fiUrl);
    expect((page.text.match(/name="wording"/g) ?? []).length).toBe(3);
    expect(page.text).toContain("Tee siitä omasi");
    expect(page.text).toContain(">Käytä tätä sanamuotoa</button>");
  });

  it("takes another wording: the headline and post change, the old one stays on offer, and the history names the customer", async () => {
    const before = await row(fiId);
    const chosen = before.copyAlternatives[0]!;
    const response = await submit(fiUrl, "wording", { wording: "0" });
    expect(response.status).toBe(303);
    expect(response.location).toBe(`${fiUrl}?done=wording`);
    const after = await row(fiId);
    expect(after.state).toBe("approved");
    expect(after.copy?.headline).toBe(chosen.headline);
    expect(after.copy?.linkedinPost).toBe(chosen.linkedinPost);
    expect(after.copyAlternatives[0]).toEqual({
      headline: before.copy?.headline,
      linkedinPost: before.copy?.linkedinPost,
    });
    expect(after.customerChoices).toEqual({ wording: "alternative" });
    const last = (await historyOf(fiId)).at(-1)!;
    expect(last).toMatchObject({ action: "choose_wording", actor: { type: "customer" } });
    expect(last.changes.map((change) => change.field)).toContain("copy.headline");
    const page = await new Browser(t.app).get(response.location ?? "");
    expect(page.text).toContain("Sanamuoto on tallennettu.");
  });

  it("refuses a wording that is not offered, in the customer's language, and changes nothing", async () => {
    const before = await snapshot(fiId);
    for (const wording of ["7", "-1", "x", ""]) {
      const response = await submit(fiUrl, "wording", { wording });
      expect(response.status, wording).toBe(400);
      expect(response.text).toContain("Tätä sanamuotoa ei enää tarjota.");
    }
    expect(await snapshot(fiId)).toBe(before);
  });
});

describe("the post in the customer's own words", () => {
  it("refuses a wrong number, naming it in Finnish, saves nothing and blocks publishing until it is fixed", async () => {
    const before = await snapshot(fiId);
    const post = (await row(fiId)).copy!.linkedinPost;
    const wrong = `${post.split("\n\n")[0]}\n\nLisäksi säästimme 999 tuntia.`;
    const response = await submit(fiUrl, "post", { linkedinPost: wrong });
    expect(response.status).toBe(400);
    expect(response.text).toContain("Lukua “999 tuntia” ei löydy tiedoistasi.");
    expect(response.text).toContain("Tekstiä ei tallennettu.");
    // The customer's text stays in the box to be fixed, and the publish button is off meanwhile.
    expect(response.text).toContain("Lisäksi säästimme 999 tuntia.");
    expect(response.text).toMatch(/<button type="submit" disabled="">Julkaise<\/button>/);
    expect(await snapshot(fiId)).toBe(before);
    const fixed = `${post}\n\nKiitos koko tiimille!`;
    const saved = await submit(fiUrl, "post", { linkedinPost: fixed });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`${fiUrl}?done=post`);
    const after = await row(fiId);
    expect(after.copy?.linkedinPost).toBe(fixed);
    expect(after.customerChoices.wording).toBe("edited");
    expect((await historyOf(fiId)).at(-1)).toMatchObject({ action: "edit_post", actor: { type: "customer" } });
  });

  it("refuses a post over the limits, with four hashtags, with a link, with markup or empty, each in Finnish, and changes nothing", async () => {
    const before = await snapshot(fiId);
    const cases: [string, string][] = [
      ["a".repeat(701), "Tekstissä on 701 merkkiä, mutta siihen mahtuu enintään 700."],
      ["x".repeat(25_000), "mutta siihen mahtuu enintään 700."],
      ["Hyvä neljännes tiimille. #yksi #kaksi #kolme #neljä", "enintään kolme aihetunnistetta"],
      ["Katso lisää osoitteesta evil-example.com/claim heti", "ei voi olla linkkejä"],
      ["Katso https://example.org nyt", "ei voi olla linkkejä"],
      ['Hyvä <img src=x onerror="alert(1)"> tulos', "pelkkää tekstiä ilman HTML:ää"],
      ["   ", "Teksti ei voi olla tyhjä."],
    ];
    for (const [linkedinPost, message] of cases) {
      const response = await submit(fiUrl, "post", { linkedinPost });
      expect(response.status, linkedinPost.slice(0, 40)).toBe(400);
      expect(response.text, linkedinPost.slice(0, 40)).toContain(message);
    }
    expect(await snapshot(fiId)).toBe(before);
  });

  it("refuses a post that shows a number the customer hid, naming it as hidden", async () => {
    const recap = await row(enId);
    const digest = recap.digest.status === "ok" ? recap.digest : null;
    const shown = recap.copy!.highlights.map((highlight) => highlight.factId);
    const hidden = digest?.facts.find((item) => !shown.includes(item.id) && item.kind !== "roi");
    // Harbor Labs' digest has a fact the copy does not tell: hide it straight in the table, as hiding would.
    expect(hidden, "a fact to hide").toBeDefined();
    await t.deps.db
      .update(recaps)
      .set({ hiddenFactIds: [hidden!.id], copyHiddenFactIds: [hidden!.id] })
      .where(eq(recaps.id, enId));
    const before = await snapshot(enId);
    const value = new Intl.NumberFormat("en").format(hidden!.value);
    const response = await submit(enUrl, "post", { linkedinPost: `${recap.copy!.linkedinPost}\n\nAlso ${value}.` });
    expect(response.status).toBe(400);
    expect(response.text).toContain(`“${value}” is a number you chose to hide.`);
    expect(await snapshot(enId)).toBe(before);
    await t.deps.db.update(recaps).set({ hiddenFactIds: [], copyHiddenFactIds: [] }).where(eq(recaps.id, enId));
  });
});

describe("the look and the card shown first", () => {
  it("saves the bold theme and the story size: the page shows that card, rendered for the choice", async () => {
    // New tenants' cards are bold by default: the classic look is asked for, as a customer trying it would.
    const classic = await t.app.request(`${fiUrl}/preview/linkedin?theme=classic`);
    expect(classic.status).toBe(200);
    const response = await submit(fiUrl, "look", { theme: "bold", firstCardSize: "story" });
    expect(response.status).toBe(303);
    expect(response.location).toBe(`${fiUrl}?done=look`);
    const after = await row(fiId);
    expect(after.customerChoices).toMatchObject({ theme: "bold", firstCardSize: "story" });
    const page = await new Browser(t.app).get(fiUrl);
    expect(page.text).toContain(`src="${fiUrl}/preview/story?v=${after.version}"`);
    expect(page.text).toContain('width="1080" height="1920"');
    expect(page.text).toMatch(/name="theme" (value="bold" checked=""|checked="" value="bold")/);
    const story = await t.app.request(`${fiUrl}/preview/story?v=${after.version}`);
    expect(story.headers.get("content-type")).toBe("image/png");
    expect(story.headers.get("cache-control")).toBe("no-store");
    const meta = await sharp(Buffer.from(await story.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1080, 1920]);
    const bold = await t.app.request(`${fiUrl}/preview/linkedin`);
    expect(Buffer.from(await bold.arrayBuffer()).equals(Buffer.from(await classic.arrayBuffer()))).toBe(false);
    const last = (await historyOf(fiId)).at(-1)!;
    expect(last).toMatchObject({ action: "choose_look", actor: { type: "customer" } });
    expect(last.changes).toEqual(
      expect.arrayContaining([
        { field: "customerChoices.theme", from: null, to: "bold" },
        { field: "customerChoices.firstCardSize", from: null, to: "story" },
      ]),
    );
  });

  it("previews a look or wording being tried without saving it, and refuses unknown ones with 404", async () => {
    const before = await snapshot(fiId);
    const tried = await t.app.request(`${fiUrl}/preview/square?theme=classic&wording=1`);
    expect(tried.status).toBe(200);
    expect((await sharp(Buffer.from(await tried.arrayBuffer())).metadata()).width).toBe(1080);
    for (const query of ["/preview/poster", "/preview/square?theme=neon", "/preview/square?wording=5", "/preview/pdf"])
      expect((await t.app.request(`${fiUrl}${query}`)).status, query).toBe(404);
    expect(await snapshot(fiId)).toBe(before);
  });

  it("refuses a look that does not exist, in the customer's language, and changes nothing", async () => {
    const before = await snapshot(fiId);
    const looks: Record<string, string>[] = [
      { theme: "neon", firstCardSize: "story" },
      { theme: "bold", firstCardSize: "poster" },
      {},
    ];
    for (const fields of looks) {
      const response = await submit(fiUrl, "look", fields);
      expect(response.status).toBe(400);
      expect(response.text).toContain("Valitse jokin näytetyistä tyyleistä ja koista.");
    }
    expect(await snapshot(fiId)).toBe(before);
  });
});

describe("what a choice will not do", () => {
  it("refuses a stale version, a post from another origin, and a tampered or expired token, changing nothing", async () => {
    const before = await snapshot(fiId);
    const stale = await new Browser(t.app).post(`${fiUrl}/look`, {
      version: "1",
      theme: "classic",
      firstCardSize: "square",
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("Katsaus on muuttunut sen jälkeen, kun avasit sivun.");
    const page = await new Browser(t.app).get(fiUrl);
    const elsewhere = await t.app.request(`${fiUrl}/post`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ version: hiddenField(page.text, "version"), linkedinPost: "Hei" }).toString(),
    });
    expect(elsewhere.status).toBe(403);
    const token = fiUrl.split("/")[2] ?? "";
    const tampered = `/p/${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const action of ["look", "wording", "post"]) {
      const response = await new Browser(t.app).post(`${tampered}/${action}`, {
        version: hiddenField(page.text, "version"),
        theme: "classic",
        firstCardSize: "square",
        wording: "0",
        linkedinPost: "Hei",
      });
      expect(response.status, action).toBe(404);
    }
    expect((await t.app.request(`${tampered}/preview/linkedin`)).status).toBe(404);
    const [, expiring] = [
      0,
      (await call(t.app, "POST", `/v1/recaps/${fiId}/preview-link`, { key: a.key, body: {} })).body.url,
    ];
    const expiredPath = new URL(expiring).pathname;
    await t.deps.db
      .update(previewTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(previewTokens.tokenHash, sha256(expiredPath.split("/")[2] ?? "")));
    const expired = await new Browser(t.app).post(`${expiredPath}/look`, {
      version: hiddenField(page.text, "version"),
      theme: "classic",
      firstCardSize: "square",
    });
    expect(expired.status).toBe(404);
    expect(expired.text).toContain("Tämä esikatselulinkki ei ole enää voimassa");
    expect((await t.app.request(`${expiredPath}/preview/linkedin`)).status).toBe(404);
    expect(await snapshot(fiId)).toBe(before);
  });

  it("changes only the token's own recap, whatever recap id a form names, and never another tenant's", async () => {
    const others = [await snapshot(enId), await snapshot(bId)];
    const response = await submit(bUrl, "look", { theme: "bold", firstCardSize: "square", recapId: fiId, id: enId });
    expect(response.status).toBe(303);
    expect((await row(bId)).customerChoices).toMatchObject({ theme: "bold", firstCardSize: "square" });
    expect([await snapshot(enId)]).toEqual([others[0]]);
    expect((await row(fiId)).customerChoices.firstCardSize).toBe("story");
    // Tenant B's key sees nothing of tenant A's recap or its customer's choices, and the other way round.
    expect((await call(t.app, "GET", `/v1/recaps/${fiId}/history`, { key: b.key })).status).toBe(404);
    expect((await call(t.app, "GET", `/v1/recaps/${bId}/history`, { key: a.key })).status).toBe(404);
    const rows = await t.deps.db
      .select({ id: recaps.id })
      .from(recaps)
      .where(and(eq(recaps.tenantId, a.tenant.id), eq(recaps.id, bId)));
    expect(rows).toEqual([]);
  });
});

describe("publishing with the choices", () => {
  it("records every choice with the consent, shows them in the reviewer's history, and refuses a second publish", async () => {
    const customer = new Browser(t.app);
    const page = await customer.get(fiUrl);
    const published = await customer.post(`${fiUrl}/publish`, { version: hiddenField(page.text, "version") });
    expect(published.status).toBe(303);
    expect(published.location).toBe(`${fiUrl}?done=published`);
    const events = await historyOf(fiId);
    const consent = events.at(-1)!.changes.find((change) => change.field === "consent")!;
    expect(consent.to).toMatchObject({
      hiddenFactIds: [],
      choices: { wording: "edited", theme: "bold", firstCardSize: "story" },
    });
    expect((consent.to as { agreedTo: { linkedinPost: string } }).agreedTo.linkedinPost).toContain(
      "Kiitos koko tiimille!",
    );
    const publishedVersion = (await row(fiId)).version;
    const again = await customer.post(`${fiUrl}/publish`, { version: hiddenField(page.text, "version") });
    expect(again.status).toBe(409);
    const fresh = await customer.get(fiUrl);
    const twice = await customer.post(`${fiUrl}/publish`, { version: hiddenField(fresh.text, "version") });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain("Se ei onnistunut.");
    // After publishing, the choices are closed: a late form changes nothing.
    const late = await customer.post(`${fiUrl}/look`, {
      version: hiddenField(fresh.text, "version"),
      theme: "classic",
      firstCardSize: "linkedin",
    });
    expect(late.status).toBe(409);
    expect((await row(fiId)).version).toBe(publishedVersion);
    const reviewer = new Browser(t.app);
    await reviewer.signIn((await makeUser(t.deps, a.tenant.id)).email);
    const review = await reviewer.get(`/review/recaps/${fiId}`);
    for (const sentence of [
      "Another wording chosen by end customer via preview link (customer)",
      "Post edited by end customer via preview link (customer)",
      "Look chosen by end customer via preview link (customer)",
      "Look: “the brand’s default” → “bold”",
      "Their choices: wording: edited by the customer; look: bold; card shown first: story",
    ])
      expect(review.text, sentence).toContain(sentence.replaceAll("’", "&#x27;").replaceAll("'", "&#x27;"));
    // Another tenant's reviewer cannot open it.
    const outsider = new Browser(t.app);
    await outsider.signIn((await makeUser(t.deps, b.tenant.id)).email);
    expect((await outsider.get(`/review/recaps/${fiId}`)).status).toBe(404);
  });
});
