import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { type ClickEvent, createClickBuffer } from "../../src/sharing/click-buffer.js";
import { linkClickAddressTallies, linkClicks } from "../../src/sharing/sharing.schema.js";
import type { TestContext } from "../support/test-context.js";
import { createLink, publishedRecap, type SharingTenant, servedContext, sharingTenant } from "./sharing-support.js";

let t: TestContext;
let baseUrl: string;
let stopServer: () => Promise<void>;
let owner: SharingTenant;
let recapId: string;

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
const CAP = 3;

beforeAll(async () => {
  // The default configuration: the cap is 3.
  ({ t, baseUrl, stopServer } = await servedContext());
  expect(t.deps.config.sharing.visitorsPerAddressPerHour).toBe(CAP);
  owner = await sharingTenant(t);
  await t.startWorkers();
  recapId = (await publishedRecap(t, owner, "harbor-labs")).id;
}, 120_000);
afterAll(async () => {
  await stopServer();
  await t.close();
});

/** `count` requests to the link over the socket (all from 127.0.0.1), each with its own user agent. */
async function clickFromOneAddress(code: string, count: number, headers: Record<string, string> = {}) {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++) {
    const response = await fetch(`${baseUrl}/r/${code}`, {
      redirect: "manual",
      headers: { "user-agent": `${CHROME} visitor/${index}`, ...headers },
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

async function countsOf(code: string) {
  const rows = await t.deps.db.select().from(linkClicks).where(eq(linkClicks.code, code));
  return { stored: rows.length, counted: rows.filter((row) => row.counted).length };
}

function click(code: string, at: Date, ip: string, userAgent: string): ClickEvent {
  return {
    code,
    tenantId: owner.tenant.id,
    recapId,
    at,
    method: "GET",
    ip,
    userAgent,
    optOut: false,
    referrerHost: null,
    country: null,
    isBot: false,
    botReason: null,
    shareStarted: false,
  };
}

describe("visitors per address", () => {
  it("count at most 3 on a link in an hour when one address sends 50 user agents, while every request is redirected", async () => {
    const link = await createLink(t, owner.backendKey, recapId, "linkedin");
    const statuses = await clickFromOneAddress(link.code, 50);
    expect(statuses).toEqual(new Array(50).fill(302));
    await t.deps.clicks.flush();
    expect(await countsOf(link.code)).toEqual({ stored: 50, counted: CAP });
    // The tally keeps a hash of the address, never the address.
    const tallies = await t.deps.db
      .select()
      .from(linkClickAddressTallies)
      .where(eq(linkClickAddressTallies.code, link.code));
    expect(tallies).toHaveLength(1);
    expect(tallies[0]?.addressHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(tallies)).not.toContain("127.0.0.1");
  });

  it("cannot be lifted by asking not to be tracked", async () => {
    const link = await createLink(t, owner.backendKey, recapId, "email");
    await clickFromOneAddress(link.code, 20, { dnt: "1" });
    await t.deps.clicks.flush();
    expect(await countsOf(link.code)).toEqual({ stored: 20, counted: CAP });
  });

  it("hold across flushes and instances, per link and per hour, and leave other addresses alone", async () => {
    const link = await createLink(t, owner.backendKey, recapId, "copy");
    const other = await createLink(t, owner.backendKey, recapId, "x");
    await clickFromOneAddress(link.code, 2);
    await t.deps.clicks.flush();
    // A second API instance with its own buffer sees the same address with new user agents.
    const [first] = await t.deps.db.select().from(linkClicks).where(eq(linkClicks.code, link.code));
    const at = first?.at ?? new Date();
    const nextHour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000 + 3_600_000 + 60_000);
    const instance = createClickBuffer({
      db: t.deps.db,
      clock: t.deps.clock,
      log: t.deps.log,
      flushMs: 1000,
      visitorsPerAddress: CAP,
    });
    for (let index = 0; index < 5; index++) {
      instance.record(click(link.code, at, "127.0.0.1", `${CHROME} instance/${index}`));
      instance.record(click(other.code, at, "127.0.0.1", `${CHROME} instance/${index}`));
      instance.record(click(link.code, at, "198.51.100.7", `${CHROME} neighbour/${index}`));
      instance.record(click(link.code, nextHour, "127.0.0.1", `${CHROME} later/${index}`));
    }
    await instance.stop();
    const rows = await t.deps.db.select().from(linkClicks).where(eq(linkClicks.code, link.code));
    const countedIn = (hour: number) =>
      rows.filter((row) => row.counted && Math.floor(row.at.getTime() / 3_600_000) === hour).length;
    // This hour: 3 from 127.0.0.1 and 3 from the neighbour; the next hour 3 again.
    expect(countedIn(Math.floor(at.getTime() / 3_600_000))).toBe(2 * CAP);
    expect(countedIn(Math.floor(nextHour.getTime() / 3_600_000))).toBe(CAP);
    expect(await countsOf(other.code)).toEqual({ stored: 5, counted: CAP });
  });

  it("stay counted in full when the cap is switched off", async () => {
    const instance = createClickBuffer({
      db: t.deps.db,
      clock: t.deps.clock,
      log: t.deps.log,
      flushMs: 1000,
      visitorsPerAddress: null,
    });
    const link = await createLink(t, owner.backendKey, recapId, "other");
    for (let index = 0; index < 10; index++) {
      instance.record(click(link.code, new Date(), "127.0.0.1", `${CHROME} uncapped/${index}`));
    }
    await instance.stop();
    expect(await countsOf(link.code)).toEqual({ stored: 10, counted: 10 });
  });
});

describe("CLICK_VISITORS_PER_ADDRESS_PER_HOUR", () => {
  it("defaults to 3, takes a number or off, and refuses anything else naming the variable", () => {
    expect(loadConfig({}).sharing.visitorsPerAddressPerHour).toBe(3);
    expect(loadConfig({ CLICK_VISITORS_PER_ADDRESS_PER_HOUR: "10" }).sharing.visitorsPerAddressPerHour).toBe(10);
    expect(loadConfig({ CLICK_VISITORS_PER_ADDRESS_PER_HOUR: "off" }).sharing.visitorsPerAddressPerHour).toBeNull();
    expect(loadConfig({ CLICK_VISITORS_PER_ADDRESS_PER_HOUR: "0" }).sharing.visitorsPerAddressPerHour).toBeNull();
    expect(() => loadConfig({ CLICK_VISITORS_PER_ADDRESS_PER_HOUR: "three" })).toThrow(ConfigError);
    expect(() => loadConfig({ CLICK_VISITORS_PER_ADDRESS_PER_HOUR: "three" })).toThrow(
      /CLICK_VISITORS_PER_ADDRESS_PER_HOUR/,
    );
  });
});
