import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, hiddenField } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeApiKey, makeTenantWithKey, makeUser } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
let reviewKey: string;
let reviewer: Browser;
let outsider: Browser;
const ids: Record<string, string> = {};

async function waitForState(id: string, state: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const recap = await call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key });
    if (recap.body.state === state) return recap;
    if (Date.now() > deadline) throw new Error(`recap ${id} stayed ${recap.body.state}, wanted ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const recapJson = (id: string) => call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key });

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  reviewKey = (await makeApiKey(t.deps, a.tenant.id, ["review", "recaps:read"])).key;
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
  for (const account of ["harbor-labs", "kide-analytics", "team-7", "team-8", "team-9", "team-10", "team-11"]) {
    const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account } });
    ids[account] = created.body.id;
  }
  for (const id of Object.values(ids)) await waitForState(id, "pending_review");
  reviewer = new Browser(t.app);
  await reviewer.signIn((await makeUser(t.deps, a.tenant.id)).email);
  outsider = new Browser(t.app);
  await outsider.signIn((await makeUser(t.deps, b.tenant.id)).email);
}, 120_000);
afterAll(() => t.close());

describe("access", () => {
  it("sends a visitor without a session to the sign-in form (303) from the queue, a recap screen and a form post", async () => {
    const anonymous = new Browser(t.app);
    const id = ids["harbor-labs"];
    expect((await anonymous.get("/review?state=all")).location).toBe("/review/login?next=%2Freview%3Fstate%3Dall");
    const screen = await anonymous.get(`/review/recaps/${id}`);
    expect(screen.status).toBe(303);
    expect(screen.location).toBe(`/review/login?next=${encodeURIComponent(`/review/recaps/${id}`)}`);
    const post = await anonymous.post(`/review/recaps/${id}/approve`, { version: "1" });
    expect(post.status).toBe(303);
    expect((await recapJson(id ?? "")).body.state).toBe("pending_review");
  });

  it("answers another tenant's reviewer with a 404 page for a recap screen, and for its forms", async () => {
    const id = ids["harbor-labs"] ?? "";
    const page = await outsider.get(`/review/recaps/${id}`);
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("Recap not found");
    const own = await outsider.get("/review");
    const post = await outsider.post(`/review/recaps/${id}/reject`, {
      _csrf: hiddenField(own.text, "_csrf"),
      version: "2",
      reason: "not mine",
    });
    expect(post.status).toBe(404);
    expect((await recapJson(id)).body.state).toBe("pending_review");
    expect((await outsider.get("/review/recaps/not-a-uuid")).status).toBe(404);
  });

  it("refuses a form without the session's CSRF token with a 403 page, changing nothing", async () => {
    const id = ids["team-7"] ?? "";
    const before = await recapJson(id);
    const missing = await reviewer.post(`/review/recaps/${id}/reject`, {
      version: String(before.body.version),
      reason: "x",
    });
    expect(missing.status).toBe(403);
    expect(missing.headers.get("content-type")).toContain("text/html");
    expect(missing.text).toContain("This form has expired");
    const wrong = await reviewer.post("/review/bulk-approve", {
      _csrf: "nope",
      approve: `${id}:${before.body.version}`,
    });
    expect(wrong.status).toBe(403);
    expect((await recapJson(id)).body.version).toBe(before.body.version);
  });
});

describe("the queue", () => {
  it("shows counts per state, the waiting recaps, and links each to its screen", async () => {
    const page = await reviewer.get("/review");
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain('href="#main"');
    expect(page.text).toMatch(/aria-current="page"[^>]*>pending review <span class="muted">\(7\)/);
    expect(page.text).toContain(`href="/review/recaps/${ids["harbor-labs"]}"`);
    expect(page.text).toContain("Harbor Labs Ltd");
  });

  it("filters by locale, account, variant, flagged and age through its GET form", async () => {
    const count = (html: string) => (html.match(/<tr><td>/g) ?? []).length;
    const fi = await reviewer.get("/review?state=all&locale=fi");
    expect(count(fi.text)).toBe(1);
    expect(fi.text).toContain("Kide Analytics Oy");
    const account = await reviewer.get("/review?state=all&account=HARBOR");
    expect(count(account.text)).toBe(1);
    const variants = await Promise.all(Object.values(ids).map(async (id) => (await recapJson(id)).body.variant));
    const a = await reviewer.get("/review?state=all&variant=A");
    expect(count(a.text)).toBe(variants.filter((v) => v === "A").length);
    expect((await reviewer.get("/review?state=all&age=7")).text).toContain("No recaps match these filters.");
    // Flag one by writing a number no fact backs, as a careless edit would.
    const id = ids["team-8"] ?? "";
    const recap = await recapJson(id);
    const edited = await call(t.app, "PATCH", `/v1/recaps/${id}/copy`, {
      key: reviewKey,
      body: { subheadline: "Up 999 % on last quarter." },
      headers: { "if-match": recap.headers.get("etag") ?? "" },
    });
    expect(edited.body.flagged).toBe(true);
    const flagged = await reviewer.get("/review?flagged=yes");
    expect(count(flagged.text)).toBe(1);
    expect(flagged.text).toContain("Team 8");
    expect(flagged.text).toContain("⚑ flagged");
    expect(count((await reviewer.get("/review?flagged=no")).text)).toBe(6);
  });

  it("bulk approves only clean drafts and reports what happened to each", async () => {
    const queue = await reviewer.get("/review");
    const boxes = [...queue.text.matchAll(/name="approve" value="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(boxes.some((box) => box.startsWith(ids["team-8"] ?? "-"))).toBe(false); // flagged: no checkbox
    const clean = boxes.find((box) => box.startsWith(ids["team-9"] ?? "-")) ?? "";
    const stale = `${ids["team-10"]}:1`;
    const flagged = `${ids["team-8"]}:${(await recapJson(ids["team-8"] ?? "")).body.version}`;
    const response = await reviewer.send("POST", "/review/bulk-approve", undefined);
    expect(response.status).toBe(403);
    const body = new URLSearchParams({ _csrf: hiddenField(queue.text, "_csrf"), return: "state=all" });
    for (const pick of [clean, stale, flagged]) body.append("approve", pick);
    const result = await t.app.request("/review/bulk-approve", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: [...reviewer.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; "),
      },
      body: body.toString(),
    });
    const html = await result.text();
    expect(result.status).toBe(200);
    expect(html).toContain("Bulk approval: 1 of 3 approved.");
    expect(html).toMatch(/data-outcome="approved"><a href="\/review\/recaps\/[^"]+">Team 9/);
    expect(html).toMatch(/data-outcome="failed">.*Team 10.*someone changed it/);
    expect(html).toMatch(/data-outcome="skipped">.*Team 8.*not a clean draft/);
    expect((await recapJson(ids["team-9"] ?? "")).body.state).toBe("approved");
    expect((await recapJson(ids["team-8"] ?? "")).body.state).toBe("pending_review");
  });
});
