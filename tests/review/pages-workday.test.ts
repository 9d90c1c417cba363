import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewTokens } from "../../src/publishing/publishing.schema.js";
import { Browser, hiddenField } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let reviewer: Browser;
let outsider: Browser;

async function pending(account: string) {
  const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account } });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const recap = await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: a.key });
    if (recap.body.state === "pending_review") return recap.body;
    if (Date.now() > deadline) throw new Error(`recap stayed ${recap.body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function submit(browser: Browser, html: string, id: string, action: string, fields: Record<string, string>) {
  const form = { _csrf: hiddenField(html, "_csrf"), version: hiddenField(html, "version"), ...fields };
  return browser.post(`/review/recaps/${id}/${action}`, form);
}

/** The page's text as a reader sees it, entities decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

const queueRows = (html: string) => [...html.matchAll(/<th scope="row"><a href="\/review\/recaps\/([^"]+)"/g)];

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  const b = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
  reviewer = new Browser(t.app);
  await reviewer.signIn((await makeUser(t.deps, a.tenant.id)).email);
  outsider = new Browser(t.app);
  await outsider.signIn((await makeUser(t.deps, b.tenant.id)).email);
}, 120_000);
afterAll(() => t.close());

describe("the queue's pages", () => {
  it("pages 50 recaps at a time with previous and next links that keep the filters", async () => {
    // 62 milestone recaps in German, one a minute, beside the demo's; only the filter's show.
    const [account] = await t.deps.sql`
      insert into accounts (tenant_id, external_id, name, consent)
      values (${a.tenant.id}, 'paging-gmbh', 'Paging GmbH', ${"{}"}::jsonb) returning id`;
    for (let i = 0; i < 62; i++) {
      await t.deps.sql`
        insert into recaps (tenant_id, account_id, period, kind, locale, state, digest, origin, variant, created_at)
        values (${a.tenant.id}, ${account?.id}, ${`2026-m${i}`}, 'milestone', 'de', 'pending_review',
          ${"{}"}::jsonb, ${JSON.stringify({ type: "api" })}::jsonb, 'B',
          ${new Date(Date.UTC(2026, 5, 1, 9, i)).toISOString()})`;
    }
    const first = await reviewer.get("/review?state=pending_review&locale=de&variant=B");
    expect(first.status).toBe(200);
    expect(queueRows(first.text)).toHaveLength(50);
    expect(first.text).toContain("Recaps 1–50 of 62, newest first");
    expect(first.text).toContain(
      'href="/review?state=pending_review&amp;locale=de&amp;variant=B&amp;page=2" rel="next"',
    );
    expect(first.text).not.toContain('rel="prev"');

    const second = await reviewer.get("/review?state=pending_review&locale=de&variant=B&page=2");
    expect(queueRows(second.text)).toHaveLength(12);
    expect(second.text).toContain("Recaps 51–62 of 62, newest first");
    expect(second.text).toContain('href="/review?state=pending_review&amp;locale=de&amp;variant=B" rel="prev"');
    expect(second.text).not.toContain('rel="next"');
    // No recap on both pages, and the filter still applies on page 2.
    const ids = new Set([...queueRows(first.text), ...queueRows(second.text)].map((row) => row[1]));
    expect(ids.size).toBe(62);
    expect(second.text).toMatch(/<option value="de" selected="">/);
    expect(second.text).not.toContain("Harbor Labs Ltd");
    // The bulk form returns to the same page with the same filters.
    expect(hiddenField(second.text, "return")).toBe("state=pending_review&amp;locale=de&amp;variant=B&amp;page=2");
  });

  it("reads a page number it never offers as page 1", async () => {
    const odd = await reviewer.get("/review?state=pending_review&locale=de&page=-3");
    expect(odd.status).toBe(200);
    expect(odd.text).toContain("Recaps 1–50 of 62");
  });

  it("links the growth dashboard from every review page's header", async () => {
    const recap = await pending("team-5");
    for (const path of ["/review", `/review/recaps/${recap.id}`, "/review/growth"]) {
      const page = await reviewer.get(path);
      expect(page.text, path).toMatch(/<nav aria-label="Review">.*<a href="\/review\/growth">Growth dashboard<\/a>/);
    }
  });
});

describe("the recap screen after a save", () => {
  it("warns, not congratulates, when a saved number matches no fact, and says approval is blocked", async () => {
    const recap = await pending("kide-analytics");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    const saved = await submit(reviewer, page.text, recap.id, "copy", {
      subheadline: "Ylös 999 % viime neljänneksestä.",
    });
    const after = await reviewer.get(saved.location ?? "");
    expect(after.text).toMatch(
      /<p class="warning">.*Copy saved\. But 1 number matches no fact: approval is blocked until it is fixed/,
    );
    expect(after.text).not.toContain('<p class="status">Copy saved.');
    // A clean save is still good news.
    const fixed = await submit(reviewer, after.text, recap.id, "copy", { subheadline: recap.copy.subheadline });
    const clean = await reviewer.get(fixed.location ?? "");
    expect(clean.text).toContain('<p class="status">Copy saved. Every number was checked again.</p>');
    expect(clean.text).not.toContain('class="warning"');
  });

  it("tells the history as sentences and the raw sums at display precision, with no JSON", async () => {
    const recap = await pending("harbor-labs");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    const saved = await submit(reviewer, page.text, recap.id, "copy", { headline: "Harbor saved hours" });
    const edited = await reviewer.get(saved.location ?? "");
    const approved = await submit(reviewer, edited.text, recap.id, "approve", {});
    expect(approved.status).toBe(303);
    const words = text((await reviewer.get(`/review/recaps/${recap.id}`)).text);
    expect(words).toContain(`Headline: “${text(recap.copy.headline).trim()}” → “Harbor saved hours”`);
    expect(words).toMatch(/Edited by Test reviewer \(reviewer\)/);
    expect(words).toMatch(/Approved by Test reviewer \(reviewer\)/);
    expect(words).toMatch(/Drafted by [^(]+\(system\)/);
    expect(words).toMatch(/Drafter: \w+/);
    expect(words).not.toMatch(/[{[]"/);
    expect(words).not.toContain("copy.headline");
    expect(words).toMatch(/; raw [\d,]+ \(before: [\d,]+\)/);
  });

  it("prints the raw sums behind a fact at display precision, not as float noise", async () => {
    const recap = await pending("team-9");
    // Float sums as the digest stores them for a real tenant (sums of fractional event quantities).
    await t.deps.sql`
      update recaps set digest = jsonb_set(jsonb_set(digest,
        '{facts,0,provenance,rawCurrent}', '5053.929999999999'::jsonb),
        '{facts,0,provenance,rawPrevious}', '3473.9999999999995'::jsonb)
      where id = ${recap.id}`;
    const words = text((await reviewer.get(`/review/recaps/${recap.id}`)).text);
    expect(words).toContain("; raw 5,053.9 (before: 3,474)");
    expect(words).not.toContain("5053.929999999999");
  });
});

describe("the customer's preview link from the recap screen", () => {
  const tokensOf = async (recapId: string) =>
    (await t.deps.db.select().from(previewTokens).where(eq(previewTokens.recapId, recapId))).length;

  it("is offered only once approved, and shows the new link to copy", async () => {
    const recap = await pending("team-6");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    expect(page.text).not.toContain("Create preview link for the customer");
    const early = await reviewer.post(`/review/recaps/${recap.id}/preview-link`, {
      _csrf: hiddenField(page.text, "_csrf"),
    });
    expect(early.status).toBe(409);
    expect(early.text).toContain("Only an approved or published recap can be previewed");
    expect(await tokensOf(recap.id)).toBe(0);

    await submit(reviewer, page.text, recap.id, "approve", {});
    const approved = await reviewer.get(`/review/recaps/${recap.id}?done=approved`);
    expect(approved.text).toContain(">Create preview link for the customer</button>");
    const noToken = await reviewer.post(`/review/recaps/${recap.id}/preview-link`, {});
    expect(noToken.status).toBe(403);
    const created = await reviewer.post(`/review/recaps/${recap.id}/preview-link`, {
      _csrf: hiddenField(approved.text, "_csrf"),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const url = /id="preview-link-url"[^>]*value="([^"]+)"/.exec(created.text)?.[1] ?? "";
    expect(url).toMatch(/\/p\/[A-Za-z0-9_-]{43}$/);
    expect(await tokensOf(recap.id)).toBe(1);
    const opened = await new Browser(t.app).get(new URL(url).pathname);
    expect(opened.status).toBe(200);
  });

  it("answers another tenant's reviewer with a 404 page and creates no link", async () => {
    const recap = await pending("team-7");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    await submit(reviewer, page.text, recap.id, "approve", {});
    const own = await outsider.get("/review");
    const answer = await outsider.post(`/review/recaps/${recap.id}/preview-link`, {
      _csrf: hiddenField(own.text, "_csrf"),
    });
    expect(answer.status).toBe(404);
    expect(answer.text).toContain("Recap not found");
    expect(answer.text).not.toContain("/p/");
    expect(await tokensOf(recap.id)).toBe(0);
  });
});
