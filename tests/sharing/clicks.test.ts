import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClickBuffer } from "../../src/sharing/click-buffer.js";
import { linkClicks } from "../../src/sharing/sharing.schema.js";
import type { TestContext } from "../support/test-context.js";
import { createLink, publishedRecap, type SharingTenant, servedContext, sharingTenant } from "./sharing-support.js";

let t: TestContext;
let baseUrl: string;
let stopServer: () => Promise<void>;
let owner: SharingTenant;
let recapId: string;

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
const EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Edg/124.0";
const LINKEDIN_BOT = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)";
const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

beforeAll(async () => {
  // Every request here comes from 127.0.0.1 yet plays a different person: the cap on visitors per
  // address is off so these tests see the per-visitor dedupe alone (click-address-cap.test.ts tests the cap).
  ({ t, baseUrl, stopServer } = await servedContext({
    TRUSTED_PROXY_COUNTRY_HEADER: "CF-IPCountry",
    CLICK_VISITORS_PER_ADDRESS_PER_HOUR: "off",
  }));
  owner = await sharingTenant(t);
  await t.startWorkers();
  recapId = (await publishedRecap(t, owner, "harbor-labs")).id;
}, 120_000);
afterAll(async () => {
  await stopServer();
  await t.close();
});

function hit(path: string, headers: Record<string, string>, method = "GET") {
  return fetch(`${baseUrl}${path}`, { method, redirect: "manual", headers });
}

async function clicksOf(code: string) {
  return t.deps.db.select().from(linkClicks).where(eq(linkClicks.code, code));
}

describe("click accounting", () => {
  it("stores every request, flags bots, counts one click per visitor and hour, and records LinkedIn share starts", async () => {
    const link = await createLink(t, owner.backendKey, recapId, "linkedin");
    const r = `/r/${link.code}`;
    const fromLinkedIn = {
      referer: "https://www.linkedin.com/feed/update/urn:li:activity:1?x=secret",
      "cf-ipcountry": "ee",
    };
    const requests: [string, Record<string, string>, string?][] = [
      [`/s/${link.code}`, { "user-agent": LINKEDIN_BOT }], // a post being composed: share_started
      [r, { "user-agent": LINKEDIN_BOT }],
      [r, { "user-agent": SLACKBOT }],
      [r, { "user-agent": "curl/8.5.0" }],
      [r, { "user-agent": CHROME }, "HEAD"],
      [r, { "user-agent": CHROME, ...fromLinkedIn }],
      [r, { "user-agent": CHROME, ...fromLinkedIn }],
      [r, { "user-agent": CHROME }],
      [r, { "user-agent": FIREFOX }],
      [r, { "user-agent": SAFARI }],
      [r, { "user-agent": SAFARI }],
      [r, { "user-agent": EDGE, "sec-gpc": "1" }],
      [r, { "user-agent": EDGE, "sec-gpc": "1" }],
      [r, { "user-agent": FIREFOX, dnt: "1" }],
      [`/s/${link.code}`, { "user-agent": CHROME }], // a person reading the page: not a click
    ];
    for (const [path, headers, method] of requests) {
      const response = await hit(path, headers, method);
      expect(response.status, `${method ?? "GET"} ${path} ${headers["user-agent"]}`).toBe(path === r ? 302 : 200);
      await response.arrayBuffer();
    }
    await t.deps.clicks.flush();
    const rows = await clicksOf(link.code);
    const human = rows.filter((row) => !row.isBot);
    expect(rows).toHaveLength(14);
    expect(rows.filter((row) => row.isBot)).toHaveLength(5);
    expect(rows.filter((row) => row.counted)).toHaveLength(6); // Chrome, Firefox, Safari, 2× GPC, DNT
    expect(human.filter((row) => !row.counted)).toHaveLength(3); // 2 Chrome repeats, 1 Safari repeat
    expect(rows.filter((row) => row.shareStarted)).toHaveLength(1);
    expect(rows.filter((row) => row.isBot && row.counted)).toHaveLength(0);
    expect(rows.filter((row) => row.visitorHash === null).map((row) => row.counted)).toEqual([true, true, true]);
    expect(new Set(rows.filter((row) => row.isBot).map((row) => row.botReason))).toEqual(
      new Set(["preview:linkedin", "preview:slack", "user_agent", "head"]),
    );
    expect(rows.find((row) => row.method === "HEAD")?.botReason).toBe("head");
    const linkedInClicks = rows.filter((row) => row.referrerHost === "www.linkedin.com");
    expect(linkedInClicks).toHaveLength(2);
    expect(linkedInClicks.map((row) => row.country)).toEqual(["EE", "EE"]);
    expect(rows.every((row) => row.tenantId === owner.tenant.id && row.recapId === recapId)).toBe(true);
    // No raw address anywhere, and hashes are hex SHA-256.
    expect(JSON.stringify(rows)).not.toContain("127.0.0.1");
    for (const row of rows) if (row.visitorHash) expect(row.visitorHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps one counted click per visitor and hour across flushes and across instances", async () => {
    const link = await createLink(t, owner.backendKey, recapId, "copy");
    await (await hit(`/r/${link.code}`, { "user-agent": FIREFOX })).arrayBuffer();
    await t.deps.clicks.flush();
    await (await hit(`/r/${link.code}`, { "user-agent": FIREFOX })).arrayBuffer();
    await t.deps.clicks.flush();
    // A second API instance with its own buffer, seeing the same visitor in the same hour.
    const other = createClickBuffer({
      db: t.deps.db,
      clock: t.deps.clock,
      log: t.deps.log,
      flushMs: 1000,
      visitorsPerAddress: t.deps.config.sharing.visitorsPerAddressPerHour,
    });
    const [first] = await clicksOf(link.code);
    other.record({
      code: link.code,
      tenantId: owner.tenant.id,
      recapId,
      at: first?.at ?? new Date(),
      method: "GET",
      ip: "127.0.0.1",
      userAgent: FIREFOX,
      optOut: false,
      referrerHost: null,
      country: null,
      isBot: false,
      botReason: null,
      shareStarted: false,
    });
    await other.stop();
    const rows = await clicksOf(link.code);
    expect(rows).toHaveLength(3);
    expect(rows.filter((row) => row.counted)).toHaveLength(1);
    expect(new Set(rows.map((row) => row.visitorHash)).size).toBe(1);
  });

  it("writes within a second without an explicit flush", async () => {
    const link = await createLink(t, owner.backendKey, recapId, "x");
    await (await hit(`/r/${link.code}`, { "user-agent": SAFARI })).arrayBuffer();
    const deadline = Date.now() + 3000;
    while ((await clicksOf(link.code)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await clicksOf(link.code)).toHaveLength(1);
  });

  it("loses no answered click when the server shuts down", async () => {
    const link = await createLink(t, owner.backendKey, recapId, "other");
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        hit(`/r/${link.code}`, { "user-agent": `${CHROME} visitor/${index}` }).then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        }),
      ),
    );
    expect(responses.every((status) => status === 302)).toBe(true);
    // Shutdown order of main.ts: stop taking connections, flush the buffer, then close the database.
    await stopServer();
    stopServer = async () => {};
    await t.deps.clicks.stop();
    const [row] = await t.deps.db
      .select({ total: sql<number>`count(*)::int`, counted: sql<number>`count(*) filter (where counted)::int` })
      .from(linkClicks)
      .where(and(eq(linkClicks.code, link.code)));
    expect(row).toEqual({ total: 300, counted: 300 });
  });
});
