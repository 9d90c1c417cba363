import { count, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { assets, recapAssets } from "../../src/assets/assets.schema.js";
import { lazyRenderer } from "../../src/assets/lazy-renderer.js";
import { RECAP_RENDER_JOB } from "../../src/assets/render.job.js";
import { createDeps } from "../../src/deps.js";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { createRenderer } from "../../src/rendering/renderer.js";
import type { Renderer } from "../../src/rendering/rendering.types.js";
import { Browser } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser } from "../support/factories.js";
import { hideNumbersAndWait } from "../support/hidden-numbers.js";
import { call, expectProblem } from "../support/http.js";
import { jobsSettled } from "../support/jobs.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/** The real renderer (worker threads, fonts), counting what it is asked to render. */
function countingRenderer() {
  const inner = lazyRenderer(() => createRenderer({ threads: 1 }));
  const renders: string[] = [];
  const renderer: Renderer = {
    async render(kind, input) {
      renders.push(kind);
      return inner.render(kind, input);
    },
    close: () => inner.close(),
  };
  return { renderer, renders };
}

const counting = countingRenderer();
let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
let approvedId: string;
let pendingId: string;

/** Polls until `read` gives `want` (expect.poll cannot run in beforeAll). */
async function waitFor<T>(read: () => Promise<T>, want: T, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (last !== want) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${String(want)}, last saw ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await read();
  }
}

async function settled(key: string, id: string, state: string) {
  await waitFor(async () => (await call(t.app, "GET", `/v1/recaps/${id}`, { key })).body.state, state, 20_000);
}

async function assetList(id: string, key = a.key) {
  return call(t.app, "GET", `/v1/recaps/${id}/assets`, { key });
}

/** Publishes or unpublishes through the API, at the recap's current version. */
async function recapAction(id: string, action: "publish" | "unpublish") {
  const current = await call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key });
  const answer = await call(t.app, "POST", `/v1/recaps/${id}/${action}`, {
    key: a.key,
    body: {},
    headers: { "if-match": current.headers.get("etag") ?? "" },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/**
 * Publishes through the API and waits until the render that follows has made every asset public:
 * each asset row it replaces on a published recap notifies the instances, which forget their
 * verdicts, so a check made while it still runs would not be remembered.
 */
async function publishAndWait(id: string) {
  await recapAction(id, "publish");
  await waitFor(
    async () => (await assetList(id)).body.data.every((asset: { publicUrl: string | null }) => asset.publicUrl),
    true,
    30_000,
  );
  await jobsSettled(t.deps.sql, [RECAP_RENDER_JOB]);
}

async function publicCard(id: string, kind: string): Promise<{ publicUrl: string | null } | undefined> {
  return (await assetList(id)).body.data.find((asset: { kind: string }) => asset.kind === kind);
}

beforeAll(async () => {
  t = await createTestContext({ renderer: counting.renderer });
  // Public verdicts are remembered only once this instance listens for take-downs.
  await t.deps.publicVerdicts.listening();
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
  // Manual approval first: one recap waits for review, without assets.
  const pending = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "harbor-labs" } });
  pendingId = pending.body.id;
  await settled(a.key, pendingId, "pending_review");
  await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { approvalPolicy: "auto_when_clean" } });
  const approved = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "kide-analytics" } });
  approvedId = approved.body.id;
  await settled(a.key, approvedId, "approved");
  await waitFor(async () => (await assetList(approvedId)).body.data.length, 4, 60_000);
}, 120_000);
afterAll(() => t.close());

describe("rendering on approval", () => {
  it("renders the three cards and the PDF once the recap is approved, with their sizes", async () => {
    const list = await assetList(approvedId);
    expect(list.body.data.map((asset: { kind: string }) => asset.kind)).toEqual(["linkedin", "square", "story", "pdf"]);
    expect(list.body.data[0]).toMatchObject({ contentType: "image/png", width: 1200, height: 627, stale: false });
    expect(list.body.data[3]).toMatchObject({ contentType: "application/pdf", publicUrl: null });
  });

  it("serves the bytes to the tenant's backend, privately, with an ETag that answers 304", async () => {
    const response = await call(t.app, "GET", `/v1/recaps/${approvedId}/assets/square`, { key: a.key });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    const bytes = Buffer.from(
      await (
        await t.app.request(`/v1/recaps/${approvedId}/assets/square`, {
          headers: { authorization: `Bearer ${a.key}` },
        })
      ).arrayBuffer(),
    );
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1080, 1080]);
    const etag = response.headers.get("etag") ?? "";
    const again = await call(t.app, "GET", `/v1/recaps/${approvedId}/assets/square`, {
      key: a.key,
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });

  it("answers 404 not_rendered for a recap that is still waiting for review", async () => {
    expect((await assetList(pendingId)).body.data).toEqual([]);
    const response = await call(t.app, "GET", `/v1/recaps/${pendingId}/assets/linkedin`, { key: a.key });
    expectProblem(response, 404, "not_rendered");
  });

  it("never renders a key twice: a repeated render job and concurrent renders reuse the stored asset", async () => {
    const before = counting.renders.length;
    const rowsBefore = await t.deps.db.select({ n: count() }).from(assets);
    const jobIds = await Promise.all(
      Array.from({ length: 3 }, () =>
        t.deps.queue.enqueue(RECAP_RENDER_JOB, { recapId: approvedId, tenantId: a.tenant.id }),
      ),
    );
    for (const id of jobIds) {
      await expect
        .poll(async () => (await t.deps.queue.boss.getJobById(RECAP_RENDER_JOB, id ?? ""))?.state, { timeout: 20_000 })
        .toBe("completed");
    }
    expect(counting.renders.length).toBe(before);
    expect(await t.deps.db.select({ n: count() }).from(assets)).toEqual(rowsBefore);
    const links = await t.deps.db.select().from(recapAssets).where(eq(recapAssets.recapId, approvedId));
    expect(links).toHaveLength(4);
  });
});

describe("public asset addresses", () => {
  it("keeps an approved but unpublished recap's assets private", async () => {
    const [link] = await t.deps.db.select().from(recapAssets).where(eq(recapAssets.recapId, approvedId));
    const response = await t.app.request(`/assets/${link?.assetKey}.png`);
    expect(response.status).toBe(404);
  });

  it("serves a published recap's assets to anyone, revalidated before every reuse, and 410 no-store once unpublished", async () => {
    await t.deps.db.update(recaps).set({ state: "published" }).where(eq(recaps.id, approvedId));
    const list = await assetList(approvedId);
    const card = list.body.data.find((asset: { kind: string }) => asset.kind === "linkedin");
    // PUBLIC_BASE_URL is unset: the origin the request came to (app.request's http://localhost).
    expect(card.publicUrl).toMatch(/^http:\/\/localhost\/assets\/[0-9a-f]{64}\.png$/);
    const path = new URL(card.publicUrl).pathname;
    const response = await t.app.request(path);
    expect(response.status).toBe(200);
    // Caches may keep the bytes but must ask first each time, so a take-down holds at once.
    expect(response.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=0, must-revalidate");
    const etag = response.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const unchanged = await t.app.request(path, { headers: { "if-none-match": etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=0, must-revalidate");
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(1200);
    const pdf = list.body.data.find((asset: { kind: string }) => asset.kind === "pdf");
    const pdfResponse = await t.app.request(new URL(pdf.publicUrl).pathname);
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdfResponse.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    // Written straight to the table: this instance hears it from the database's trigger.
    const heard = t.deps.publicVerdicts.nextNotification();
    await t.deps.db.update(recaps).set({ state: "unpublished" }).where(eq(recaps.id, approvedId));
    await heard;
    const gone = await t.app.request(path);
    expect(gone.status).toBe(410);
    expect(gone.headers.get("content-type")).toContain("application/problem+json");
    expect(gone.headers.get("cache-control")).toBe("no-store");
    // A cache revalidating what it kept is told the recap is gone, not that its copy is still good.
    const revalidated = await t.app.request(path, { headers: { "if-none-match": etag } });
    expect(revalidated.status).toBe(410);
    expect(revalidated.headers.get("cache-control")).toBe("no-store");
    await t.deps.db.update(recaps).set({ state: "approved" }).where(eq(recaps.id, approvedId));
  });

  it("serves a repeated public card from memory, and stops serving it the moment the recap is taken down", async () => {
    await publishAndWait(approvedId);
    const path = new URL(String((await publicCard(approvedId, "square"))?.publicUrl)).pathname;
    const key = path.slice("/assets/".length, -".png".length);
    // The render's last asset rows notify this instance after they commit, and a late notification
    // forgets what a request just remembered: ask until the card and its verdict stay in memory.
    let first = Buffer.alloc(0);
    await waitFor(
      async () => {
        first = Buffer.from(await (await t.app.request(path)).arrayBuffer());
        return t.deps.publicVerdicts.isPublic(key) && Boolean(t.deps.publicAssets.get(key)?.bytes.equals(first));
      },
      true,
      10_000,
    );
    expect(t.deps.publicAssets.get(key)?.bytes.equals(first)).toBe(true);
    // The verdict is remembered too: the repeat asks the database nothing.
    expect(t.deps.publicVerdicts.isPublic(key)).toBe(true);
    // Stored bytes changed behind the cache's back (they never do: the key is their hash) show
    // that the repeat is answered from memory, not from the store.
    const [stored] = await t.deps.db.select({ bytes: assets.bytes }).from(assets).where(eq(assets.key, key));
    await t.deps.db
      .update(assets)
      .set({ bytes: Buffer.from("not the card") })
      .where(eq(assets.key, key));
    const repeat = await t.app.request(path);
    expect(repeat.status).toBe(200);
    expect(Buffer.from(await repeat.arrayBuffer()).equals(first)).toBe(true);
    await t.deps.db.update(assets).set({ bytes: stored?.bytes }).where(eq(assets.key, key));

    // Taken down through this instance: its own next request is refused, without waiting for the
    // database's notification (the change forgot the verdicts before it committed).
    await recapAction(approvedId, "unpublish");
    expect((await t.app.request(path)).status).toBe(410);
    expect(t.deps.publicAssets.get(key)).toBeUndefined();
    await t.deps.db.update(recaps).set({ state: "approved" }).where(eq(recaps.id, approvedId));
  });

  it("stops serving a card on another instance when the database says it was taken down, whoever took it down", async () => {
    await publishAndWait(approvedId);
    const path = new URL(String((await publicCard(approvedId, "linkedin"))?.publicUrl)).pathname;
    const key = path.slice("/assets/".length, -".png".length);
    // A second serving process on the same database, with its own memory.
    const other = createDeps(t.deps.config, { renderer: counting.renderer, poolSize: 2, queue: { background: false } });
    try {
      const otherApp = createApp(other.deps);
      await other.deps.publicVerdicts.listening();
      expect((await otherApp.request(path)).status).toBe(200);
      expect(other.deps.publicVerdicts.isPublic(key)).toBe(true);
      // Written straight to the table, as an operator's SQL would: the trigger still speaks.
      const heard = other.deps.publicVerdicts.nextNotification();
      await t.deps.db.update(recaps).set({ state: "unpublished" }).where(eq(recaps.id, approvedId));
      await heard;
      expect(other.deps.publicVerdicts.isPublic(key)).toBe(false);
      expect((await otherApp.request(path)).status).toBe(410);
    } finally {
      await other.close();
      await t.deps.db.update(recaps).set({ state: "approved" }).where(eq(recaps.id, approvedId));
    }
  });

  it("never serves a card rendered before the customer hid a number: publication renders again first", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "nordlicht-gmbh" } });
    await settled(a.key, created.body.id, "approved");
    await waitFor(async () => (await assetList(created.body.id)).body.data.length, 4, 60_000);
    const [before] = await t.deps.db.select().from(recapAssets).where(eq(recapAssets.recapId, created.body.id));
    const hidden = (await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: a.key })).body.digest.headline[1];
    // Hiding re-drafts the copy and renders new cards; the ones from approval still show the number.
    const loaded = await hideNumbersAndWait(t.app, a.key, created.body.id, [hidden]);
    const published = await call(t.app, "POST", `/v1/recaps/${created.body.id}/publish`, {
      key: a.key,
      body: { hiddenFactIds: [hidden] },
      headers: { "if-match": loaded.headers.get("etag") ?? "" },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    // The cards from approval still show the hidden number: not public, not even for a moment.
    expect((await t.app.request(`/assets/${before?.assetKey}.png`)).status).toBe(404);
    await expect
      .poll(
        async () =>
          (await assetList(created.body.id)).body.data.every((row: { publicUrl: string | null }) => row.publicUrl),
        {
          timeout: 30_000,
        },
      )
      .toBe(true);
    const after = (await assetList(created.body.id)).body.data.find(
      (row: { kind: string }) => row.kind === before?.kind,
    );
    expect(after.publicUrl).not.toContain(before?.assetKey);
    expect((await t.app.request(new URL(after.publicUrl).pathname)).status).toBe(200);
    expect((await t.app.request(`/assets/${before?.assetKey}.png`)).status).toBe(404);
  });

  it("answers 404 for an address no recap shows, and for malformed addresses", async () => {
    expect((await t.app.request(`/assets/${"0".repeat(64)}.png`)).status).toBe(404);
    expect((await t.app.request("/assets/../etc/passwd")).status).toBe(404);
    expect((await t.app.request(`/assets/${"a".repeat(64)}.svg`)).status).toBe(404);
  });
});

describe("tenancy", () => {
  it("hides one tenant's assets from another tenant's key", async () => {
    expectProblem(await assetList(approvedId, b.key), 404, "not_found");
    const bytes = await call(t.app, "GET", `/v1/recaps/${approvedId}/assets/linkedin`, { key: b.key });
    expectProblem(bytes, 404, "not_found");
  });

  it("requires a recaps scope", async () => {
    const limited = await makeTenantWithKey(t.deps, ["events:write"]);
    expectProblem(await assetList(approvedId, limited.key), 403, "insufficient_scope");
  });
});

describe("reviewer previews", () => {
  it("renders a preview for a signed-in reviewer of the tenant, in any state with copy, never cached", async () => {
    const user = await makeUser(t.deps, a.tenant.id, "reviewer");
    const browser = new Browser(t.app);
    await browser.signIn(user.email);
    const page = await browser.get(`/review/recaps/${pendingId}/preview/linkedin?theme=bold`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const meta = await sharp(page.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 627]);
    // The preview is never reachable at a public address while the recap is unpublished.
    const rows = await t.deps.db.select().from(recapAssets).where(eq(recapAssets.recapId, pendingId));
    expect(rows).toEqual([]);
  });

  it("sends a visitor without a session to sign in, and hides other tenants' recaps from a reviewer", async () => {
    const anonymous = await new Browser(t.app).get(`/review/recaps/${pendingId}/preview/linkedin`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toContain("/review/login");
    const stranger = await makeUser(t.deps, b.tenant.id, "reviewer");
    const browser = new Browser(t.app);
    await browser.signIn(stranger.email);
    const page = await browser.get(`/review/recaps/${pendingId}/preview/linkedin`);
    expect(page.status).toBe(404);
  });

  it("answers 404 for an unknown kind or theme", async () => {
    const user = await makeUser(t.deps, a.tenant.id, "reviewer");
    const browser = new Browser(t.app);
    await browser.signIn(user.email);
    expect((await browser.get(`/review/recaps/${pendingId}/preview/banner`)).status).toBe(404);
    expect((await browser.get(`/review/recaps/${pendingId}/preview/square?theme=neon`)).status).toBe(404);
  });
});
