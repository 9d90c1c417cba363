import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoCredentials, seedDemoIfEmpty } from "../../src/demo/demo-seed.js";
import { Browser } from "../support/browser.js";
import { chromiumAvailable, expectHeading, launchChromium, screenshot } from "../support/chromium.js";
import { call } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

let t: TestContext;
let dataDir: string;
let demo: DemoCredentials;
let seededAt: Date;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "demo-history-"));
  t = await createTestContext({ env: { DATA_DIR: dataDir } });
  seededAt = t.deps.clock.now();
  // Exactly what `serve` runs on an empty database.
  const credentials = await seedDemoIfEmpty(t.deps);
  if (!credentials) throw new Error("the demo was not seeded");
  demo = credentials;
}, 180_000);
afterAll(async () => {
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const analytics = async (query = "") => {
  const response = await call(t.app, "GET", `/v1/analytics/loop${query}`, { key: demo.apiKey });
  expect(response.status, response.text).toBe(200);
  return response.body;
};

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");

describe("the demo seed's twelve weeks of loop history", () => {
  it("shows in the analytics API as published recaps, human and bot clicks, signups, an activation and a payment", async () => {
    const body = await analytics();
    const { stages, humanClicks, botClicks, shareStarts, kpis } = body.totals;
    expect(body.demoRecapsIncluded).toBe(18);
    expect(stages).toMatchObject({ generated: 18, approved: 16, published: 14, signups: 10, activated: 5, paid: 2 });
    expect(stages.shared).toBeGreaterThanOrEqual(12);
    expect(stages.visitors).toBeGreaterThan(50);
    // People and bots are told apart: the repeat click within the hour is stored but counted once.
    expect(humanClicks).toBe(stages.visitors);
    // 18 crawlers and link checkers on the redirects, and LinkedInBot's 12 fetches of share pages.
    expect(botClicks).toBe(30);
    expect(shareStarts).toBe(12);
    // Honest for the sample: 10 signups from 14 recaps could be a multiplier anywhere around 1.
    expect(kpis.completedLoops).toBe(8);
    expect(kpis.multiplier).toBeCloseTo(10 / 14, 4);
    expect(kpis.multiplierInterval.low).toBeLessThan(1);
    expect(kpis.multiplierInterval.high).toBeGreaterThan(1);
    expect(kpis.verdict).toBe("too_early");
    expect(kpis.velocity.medianHours).toBeGreaterThan(0);
    expect(body.economics.attributedRevenue).toBe(1580);
  });

  it("spreads the publications over the twelve weeks before the seed ran", async () => {
    const { trend } = await analytics();
    expect(trend.length).toBeGreaterThanOrEqual(10);
    const first = new Date(`${trend[0].weekStart}T00:00:00Z`).getTime();
    expect(seededAt.getTime() - first).toBeGreaterThan(11 * 7 * 86_400_000);
    expect(seededAt.getTime() - first).toBeLessThan(13 * 7 * 86_400_000);
    expect(trend.filter((week: { completedLoops: number }) => week.completedLoops > 0).length).toBeGreaterThanOrEqual(
      6,
    );
    const [future] = await t.deps.db.execute<{ count: number }>(sql`
      select (select count(*) from recaps where created_at > now())
        + (select count(*) from recap_events where at > now())
        + (select count(*) from link_clicks where at > now())
        + (select count(*) from conversions where occurred_at > now())
        + (select count(*) from share_links where created_at > now()) as count`);
    expect(Number(future?.count)).toBe(0);
  });

  it("covers all five locales and both copy variants", async () => {
    const byLocale = await analytics("?groupBy=locale");
    const locales = byLocale.groups
      .filter((group: { stages: { published: number } }) => group.stages.published > 0)
      .map((group: { key: string }) => group.key)
      .sort();
    expect(locales).toEqual(["de", "en", "et", "fi", "sv"]);
    const { variants } = await analytics();
    expect(variants.a.trials).toBeGreaterThan(0);
    expect(variants.b.trials).toBeGreaterThan(0);
    expect(variants.a.trials + variants.b.trials).toBe(14);
  });

  it("went through the product's own steps: drafted, approved by the reviewer, published with cards, shared", async () => {
    const recaps = await t.deps.db.execute<{ state: string; drafter: string; events: string[]; assets: number }>(sql`
      select r.state, r.drafting->>'drafter' as drafter,
        array(select e.action from recap_events e where e.recap_id = r.id order by e.version) as events,
        (select count(*)::int from recap_assets a where a.recap_id = r.id) as assets
      from recaps r where r.origin->>'type' = 'demo'`);
    expect(recaps).toHaveLength(18);
    expect(recaps.filter((recap) => recap.state === "published")).toHaveLength(14);
    expect(recaps.filter((recap) => recap.state === "pending_review")).toHaveLength(2);
    for (const recap of recaps) expect(recap.drafter).toBe("template");
    for (const recap of recaps.filter((row) => row.state === "published")) {
      expect(recap.events).toEqual(["draft_completed", "approve", "publish"]);
      expect(recap.assets).toBeGreaterThanOrEqual(4);
    }
    const [links] = await t.deps.db.execute<{ channels: string[] }>(
      sql`select array_agg(distinct channel order by channel) as channels from share_links`,
    );
    expect(links?.channels).toEqual(["copy", "email", "linkedin", "x"]);
  });

  it("leaves kide-analytics without a recap, so the banner's first step still generates one", async () => {
    const response = await call(t.app, "POST", "/v1/recaps", {
      key: demo.apiKey,
      body: { account: "kide-analytics" },
    });
    expect(response.status, response.text).toBe(202);
  });

  it("fills every chart of the growth dashboard and says that it includes demo data", async () => {
    const browser = new Browser(t.app);
    const signedIn = await browser.signIn(demo.reviewerEmail, demo.reviewerPassword);
    expect(signedIn.status).toBe(303);
    const page = await browser.get("/review/growth");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("No published recaps yet");
    const words = text(page.text);
    expect(words).toContain("Includes demo data: 18 sample recaps");
    expect(words).toContain("Too early to tell");
    expect(words).toContain("30 bot requests (not counted), 12 LinkedIn posts started");
    expect((page.text.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(5);
  });
});

describe.skipIf(!chromiumAvailable)("the demo's growth dashboard in Chromium", () => {
  it("shows the demo note and every chart at 390 and 1280 px without sideways scrolling", async () => {
    const server = await listen(t.app);
    const chromium = await launchChromium();
    try {
      for (const width of [390, 1280]) {
        const context = await chromium.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/review/login`);
        await page.getByLabel("E-mail").fill(demo.reviewerEmail);
        await page.getByLabel("Password").fill(demo.reviewerPassword);
        await page.getByRole("button", { name: "Sign in" }).click();
        await expectHeading(page, "Review queue");
        await page.goto(`${server.url}/review/growth`);
        await expectHeading(page, "Growth loop");
        expect(await page.getByText("Includes demo data").isVisible()).toBe(true);
        expect(await page.getByText("No published recaps yet").count()).toBe(0);
        await screenshot(page, `demo-growth-dashboard-${width}`);
        const measured = (await page.evaluate(
          "({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })",
        )) as { scroll: number; inner: number };
        expect(measured.scroll, `${measured.scroll} px wide at ${width} px`).toBeLessThanOrEqual(measured.inner);
        await context.close();
      }
    } finally {
      await chromium.close();
      await server.close();
    }
  });
});
