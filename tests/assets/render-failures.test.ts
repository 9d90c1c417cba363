import { eq } from "drizzle-orm";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderInputFor } from "../../src/assets/render-input.js";
import { getTenant } from "../../src/platform/tenancy/tenants.js";
import { getRecap } from "../../src/recaps/recaps.js";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { accounts } from "../../src/usage/usage.schema.js";
import { Browser } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/**
 * Names the cards cannot draw are refused where they come in; a name that got in anyway (stored
 * before the check) fails its render visibly: on the recap, in /metrics, and at publication.
 */
const METRICS_TOKEN = "metrics-token-for-render-failures";
let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const recapOf = (id: string, key = a.key) => call(t.app, "GET", `/v1/recaps/${id}`, { key });

/** A drafted recap waiting for review (nothing rendered yet: rendering follows approval). */
async function pendingRecap(account: string) {
  const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account } });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return waitFor(
    () => recapOf(created.body.id),
    (response) => response.body.state === "pending_review",
  );
}

beforeAll(async () => {
  t = await createTestContext({ env: { METRICS_TOKEN: METRICS_TOKEN } });
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
}, 120_000);
afterAll(() => t.close());

describe("names the cards cannot draw", () => {
  it.each([
    ["Arabic", "شركة النور", ["ش", "ر", "ك", "ة", "ا", "ل", "ن", "و"]],
    ["Hebrew", "חברת אור בע״מ", ["ח", "ב", "ר", "ת", "א", "ו", "ע", "מ"]],
  ])(
    "refuses an %s account name with a problem that names its characters, and stores nothing",
    async (_, name, chars) => {
      const response = await call(t.app, "PUT", "/v1/accounts/rtl-1", { key: a.key, body: { name } });
      const problem = expectProblem(response, 400, "validation_failed");
      const errors = problem.errors as { path: string; message: string }[];
      const error = errors.find((entry) => entry.path === "name");
      expect(error?.message).toContain("cannot draw");
      for (const char of chars) expect(error?.message).toContain(`"${char}"`);
      expect(error?.message).toMatch(/U\+0[56][0-9A-F]{2}/);
      expectProblem(await call(t.app, "GET", "/v1/accounts/rtl-1", { key: a.key }), 404, "not_found");
    },
  );

  it("accepts a name with emoji and stores it cleaned of invisible and bidi characters, emoji joiners kept", async () => {
    const name = " Raketti\u200btiimi\u202e 🚀🔥 Oy\u2066 👩‍💻\u{E0041}\n";
    const response = await call(t.app, "PUT", "/v1/accounts/rocket", { key: a.key, body: { name } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.name).toBe("Rakettitiimi 🚀🔥 Oy 👩‍💻");
    const [stored] = await t.deps.db.select().from(accounts).where(eq(accounts.externalId, "rocket"));
    expect(stored?.name).toBe("Rakettitiimi 🚀🔥 Oy 👩‍💻");
  });

  it("cleans a tenant's name and product name where they come in", async () => {
    const response = await call(t.app, "PATCH", "/v1/tenant", {
      key: b.key,
      body: { name: "Flow\u200bbase\u202e Inc", brand: { ...b.tenant.brand, productName: "Flow\u2067base\u00ad" } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.name).toBe("Flowbase Inc");
    expect(response.body.brand.productName).toBe("Flowbase");
  });

  it("refuses to generate a recap for an account whose stored name it cannot draw, naming the characters", async () => {
    // Stored before the accounts API refused such names.
    await t.deps.db
      .update(accounts)
      .set({ name: "Nordlicht نور GmbH" })
      .where(eq(accounts.externalId, "nordlicht-gmbh"));
    const response = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "nordlicht-gmbh" } });
    const problem = expectProblem(response, 422, "undrawable_name");
    expect(problem.detail).toContain('"ن" (U+0646)');
    expect(problem.characters).toEqual(["ن", "و", "ر"]);
    expect((await call(t.app, "GET", "/v1/recaps?account=nordlicht-gmbh", { key: a.key })).body.data).toEqual([]);
  });
});

describe("names stored before they were cleaned", () => {
  it("are cleaned when read, so the API, the copy and the PDF print the same name", async () => {
    await t.deps.db.update(accounts).set({ name: "Fjord\u200b AB\u202e" }).where(eq(accounts.externalId, "fjord-ab"));
    expect((await call(t.app, "GET", "/v1/accounts/fjord-ab", { key: a.key })).body.name).toBe("Fjord AB");
    const drafted = await pendingRecap("fjord-ab");
    expect(drafted.body.account.name).toBe("Fjord AB");
    expect(drafted.body.copy.headline).not.toMatch(/[\u200b\u202e]/u);
    const input = renderInputFor(
      await getRecap(t.deps.db, a.tenant.id, drafted.body.id),
      await getTenant(t.deps.db, a.tenant.id),
      {
        shareUrl: null,
      },
    );
    expect(input.accountName).toBe("Fjord AB");
    const pdf = await createInProcessRenderer().render("pdf", input);
    const document = await getDocument({ data: new Uint8Array(pdf.bytes), verbosity: 0 }).promise;
    const content = await (await document.getPage(1)).getTextContent();
    const text = content.items.map((item) => ("str" in item ? item.str : "")).join(" ");
    expect(text).toContain("Fjord AB");
    expect(text).not.toMatch(/[\u200b\u202a-\u202e\u2066-\u2069]/u);
  });
});

describe("a render that fails", () => {
  let failedId: string;

  beforeAll(async () => {
    const pending = await pendingRecap("harbor-labs");
    failedId = pending.body.id;
    // The name changes to one the fonts cannot draw (stored before the accounts API refused such names).
    const [row] = await t.deps.db.select({ accountId: recaps.accountId }).from(recaps).where(eq(recaps.id, failedId));
    await t.deps.db
      .update(accounts)
      .set({ name: "Harbor 漢字 Labs" })
      .where(eq(accounts.id, row?.accountId ?? ""));
    const approved = await call(t.app, "POST", `/v1/recaps/${failedId}/approve`, {
      key: a.key,
      body: { override: { reason: "numbers checked by hand" } },
      headers: { "if-match": pending.headers.get("etag") ?? "" },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await waitFor(
      () => recapOf(failedId),
      (response) => response.body.renderFailure !== null,
    );
  }, 120_000);

  it("shows on the recap in the API with its reason, and only to the recap's tenant", async () => {
    const recap = (await recapOf(failedId)).body;
    expect(recap.state).toBe("approved");
    expect(recap.renderFailure).toMatchObject({ code: "glyph_coverage", version: recap.version });
    expect(recap.renderFailure.reason).toContain('"漢" (U+6F22)');
    expectProblem(await recapOf(failedId, b.key), 404, "not_found");
    const listed = await call(t.app, "GET", "/v1/recaps?account=harbor-labs", { key: a.key });
    expect(listed.body.data[0].renderFailure.code).toBe("glyph_coverage");
  });

  it("is counted in /metrics", async () => {
    const metrics = await t.app.request("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(await metrics.text()).toMatch(/recap_render_failures_total\{reason="glyph_coverage"\} [1-9]/);
  });

  it("refuses publication while the assets are missing, with the reason", async () => {
    const recap = await recapOf(failedId);
    const response = await call(t.app, "POST", `/v1/recaps/${failedId}/publish`, {
      key: a.key,
      body: {},
      headers: { "if-match": recap.headers.get("etag") ?? "" },
    });
    const problem = expectProblem(response, 409, "assets_not_rendered");
    expect(problem.detail).toContain('"漢" (U+6F22)');
    expect((await recapOf(failedId)).body.state).toBe("approved");
  });

  it("shows on the review page and its card preview with its reason", async () => {
    const reviewer = await makeUser(t.deps, a.tenant.id, "reviewer");
    const browser = new Browser(t.app);
    await browser.signIn(reviewer.email);
    const page = await browser.get(`/review/recaps/${failedId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("could not be rendered");
    expect(page.text).toContain("U+6F22");
    // The card preview beside it says why too, instead of a server error.
    const preview = await browser.get(`/review/recaps/${failedId}/preview/linkedin`);
    expect(preview.status).toBe(409);
    expect(preview.text).toContain("U+6F22");
  });

  it("publishes once the name is fixed: the assets are made first, and the failure is cleared", async () => {
    const [row] = await t.deps.db.select({ accountId: recaps.accountId }).from(recaps).where(eq(recaps.id, failedId));
    await t.deps.db
      .update(accounts)
      .set({ name: "Harbor Labs" })
      .where(eq(accounts.id, row?.accountId ?? ""));
    const recap = await recapOf(failedId);
    const response = await call(t.app, "POST", `/v1/recaps/${failedId}/publish`, {
      key: a.key,
      body: {},
      headers: { "if-match": recap.headers.get("etag") ?? "" },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.state).toBe("published");
    expect(response.body.renderFailure).toBeNull();
    const assets = await call(t.app, "GET", `/v1/recaps/${failedId}/assets`, { key: a.key });
    // Rendered for the published version, so the share page's og:image works the moment publishing returns.
    expect(assets.body.data.every((asset: { stale: boolean }) => !asset.stale)).toBe(true);
    expect(assets.body.data.map((asset: { kind: string }) => asset.kind).sort()).toEqual([
      "linkedin",
      "pdf",
      "square",
      "story",
    ]);
  });
});
