import { type ChildProcess, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../src/deps.js";
import { fixedClock } from "../../src/platform/clock.js";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { createShareLink } from "../../src/sharing/share-links.js";
import { linkClicks } from "../../src/sharing/sharing.schema.js";
import { accounts } from "../../src/usage/usage.schema.js";
import { makeTenant } from "../support/factories.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { freePort, SIGNUP_URL, waitFor } from "./sharing-support.js";

/**
 * Click accounting under load: thousands of concurrent requests over a real socket with a known
 * mix of people, repeat visits, privacy signals and bots, and a SIGTERM to the real service while
 * requests are in flight. Exact counts, no timing assertions.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLIENT_IP_HEADER = "x-client-ip";
// Every click of the in-process test happens at this instant: one UTC day and hour, whenever it runs.
const CLICK_TIME = new Date("2026-03-10T10:15:00.000Z");

const BROWSERS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Edg/124.0",
];
const CHROME = BROWSERS[0] as string;
const LINKEDIN_BOT = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)";
const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
const CURL = "curl/8.5.0";

const COPY = {
  headline: "A quarter of real outcomes",
  subheadline: "What the team got done with the product this quarter",
  highlights: [{ factId: "metric:hours_saved", text: "Hours saved across the team" }],
  linkedinPost: "Our quarter in numbers. #outcomes",
  callToAction: "Try it yourself",
  imageAlt: "A card with the quarter's outcomes",
  transparencyNote: "Numbers come from the product's usage data.",
};

/** A published recap with copy and one share link, written straight to the database (no drafting). */
async function seedLink(deps: Deps, channel: "linkedin" | "email" = "linkedin") {
  const tenant = await makeTenant(deps, { signupUrl: SIGNUP_URL });
  const [account] = await deps.db
    .insert(accounts)
    .values({
      tenantId: tenant.id,
      externalId: "harbor-labs",
      name: "Harbor Labs",
      consent: { publicRecap: true, peerComparison: false },
    })
    .returning();
  if (!account) throw new Error("no account");
  const [recap] = await deps.db
    .insert(recaps)
    .values({
      tenantId: tenant.id,
      accountId: account.id,
      period: "2025-Q4",
      kind: "quarterly",
      locale: "en",
      state: "published",
      variant: "A",
      copy: COPY,
      origin: { type: "api" },
      digest: {
        status: "insufficient_data",
        period: { label: "2025-Q4", start: "2025-10-01", end: "2025-12-31", timeZone: "UTC" },
        reasons: ["seeded for a load test"],
        activity: { events: 0, activeDays: 0 },
      },
    })
    .returning();
  if (!recap) throw new Error("no recap");
  const link = await createShareLink(deps.db, {
    tenantId: tenant.id,
    recapId: recap.id,
    channel,
    recapVersion: recap.version,
  });
  return { tenant, recap, link };
}

type Hit = { path: string; method?: "GET" | "HEAD"; headers: Record<string, string> };
type Outcome = { status: number } | { error: string };

/** One request over the agent's pooled keep-alive sockets; never rejects (a failure is an outcome). */
function send(baseUrl: string, agent: Agent, hit: Hit): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      `${baseUrl}${hit.path}`,
      { method: hit.method ?? "GET", headers: hit.headers, agent },
      (res) => {
        res.resume();
        res.once("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.once("error", (error) => resolve({ error: error.message }));
      },
    );
    req.once("error", (error) => resolve({ error: error.message }));
    req.end();
  });
}

/** A small deterministic shuffle, so every run interleaves the mix the same way. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function repeat(times: number, hit: Hit): Hit[] {
  return Array.from({ length: times }, () => hit);
}

const countBy = <T>(items: T[], key: (item: T) => string | null) =>
  items.reduce<Record<string, number>>((counts, item) => {
    const name = key(item) ?? "null";
    counts[name] = (counts[name] ?? 0) + 1;
    return counts;
  }, {});

describe("click accounting under load", () => {
  let t: TestContext;
  let baseUrl: string;
  let stopServer: () => Promise<void>;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await createTestContext({
      env: { PUBLIC_BASE_URL: baseUrl, TRUSTED_PROXY_IP_HEADER: CLIENT_IP_HEADER },
      clock: fixedClock(CLICK_TIME),
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: t.app.fetch, port, hostname: "127.0.0.1" }, () => resolve(started));
    });
    stopServer = () => new Promise<void>((done) => server.close(() => done()));
  });
  afterAll(async () => {
    await stopServer?.();
    await t?.close();
  });

  it("counts people once per hour, flags every bot and keeps no hash for GPC/DNT, across thousands of concurrent requests", async () => {
    const { tenant, recap, link } = await seedLink(t.deps);
    const r = `/r/${link.code}`;
    const s = `/s/${link.code}`;
    const visitor = (ip: string, userAgent: string, extra: Record<string, string> = {}) => ({
      [CLIENT_IP_HEADER]: ip,
      "user-agent": userAgent,
      ...extra,
    });

    // 1,000 people on their own addresses, each clicking 1 to 3 times; 60 people behind one office
    // address, told apart by their browsers' user agents, each clicking twice: of these only the
    // first few count (CLICK_VISITORS_PER_ADDRESS_PER_HOUR), as one machine cycling user agents would.
    const people: Hit[][] = [];
    for (let i = 0; i < 1000; i++) {
      const headers = visitor(`10.1.${i >> 8}.${i & 255}`, BROWSERS[i % 4] as string);
      people.push(repeat(1 + (i % 3), { path: r, headers }));
    }
    for (let i = 0; i < 60; i++) {
      people.push(repeat(2, { path: r, headers: visitor("192.0.2.10", `${CHROME} office/${i}`) }));
    }
    const visits = people.reduce((sum, clicks) => sum + clicks.length, 0);
    const officeCap = t.deps.config.sharing.visitorsPerAddressPerHour ?? 60;
    const countedPeople = 1000 + Math.min(60, officeCap);
    const gpc = Array.from({ length: 90 }, (_, i) => ({
      path: r,
      headers: visitor(`10.2.0.${i % 30}`, CHROME, { "sec-gpc": "1" }),
    }));
    const dnt = Array.from({ length: 50 }, (_, i) => ({
      path: r,
      headers: visitor(`10.3.0.${i % 25}`, BROWSERS[1] as string, { dnt: "1" }),
    }));
    const bots: Hit[] = [
      ...repeat(200, { path: r, headers: visitor("10.9.0.1", LINKEDIN_BOT) }),
      ...repeat(25, { path: r, method: "HEAD", headers: visitor("10.9.0.1", LINKEDIN_BOT) }),
      ...repeat(200, { path: r, headers: visitor("10.9.0.2", SLACKBOT) }),
      ...repeat(200, { path: r, headers: visitor("10.9.0.3", CURL) }),
      // A link checker's HEAD with a browser's user agent, and a client that sends none at all.
      ...repeat(150, { path: r, method: "HEAD", headers: visitor("10.9.0.4", CHROME) }),
      ...repeat(30, { path: r, headers: { [CLIENT_IP_HEADER]: "10.9.0.5" } }),
    ];
    // LinkedIn building a preview of the share page while someone composes a post: share started.
    const sharePages: Hit[] = [
      ...repeat(40, { path: s, headers: visitor("10.9.0.1", LINKEDIN_BOT) }),
      ...repeat(40, { path: s, headers: visitor("10.4.0.1", CHROME) }), // a person reading: no row
    ];
    const hits = shuffled([...people.flat(), ...gpc, ...dnt, ...bots, ...sharePages]);
    expect(hits.length).toBeGreaterThan(3000);

    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const outcomes = await Promise.all(hits.map((hit) => send(baseUrl, agent, hit)));
    agent.destroy();
    const failures = outcomes.filter((outcome) => !("status" in outcome) || ![200, 302].includes(outcome.status));
    expect(failures.slice(0, 5)).toEqual([]);
    expect(outcomes.filter((outcome) => "status" in outcome && outcome.status === 302)).toHaveLength(
      hits.length - sharePages.length,
    );

    await t.deps.clicks.flush();
    const rows = await t.deps.db.select().from(linkClicks).where(eq(linkClicks.code, link.code));
    const humans = rows.filter((row) => !row.isBot);
    const hashed = humans.filter((row) => row.visitorHash !== null);
    const unhashed = humans.filter((row) => row.visitorHash === null);

    // Every answered redirect and every LinkedInBot share-page fetch is a row; nothing else is.
    expect(rows).toHaveLength(hits.length - 40);
    expect(rows.every((row) => row.tenantId === tenant.id && row.recapId === recap.id)).toBe(true);
    expect(new Set(rows.map((row) => row.hourBucket.toISOString()))).toEqual(new Set(["2026-03-10T10:00:00.000Z"]));
    // People: one counted click each (the office only up to the cap), their repeats stored uncounted.
    expect(new Set(hashed.map((row) => row.visitorHash)).size).toBe(people.length);
    expect(hashed.filter((row) => row.counted)).toHaveLength(countedPeople);
    expect(hashed.filter((row) => !row.counted)).toHaveLength(visits - countedPeople);
    // GPC and DNT: all counted (they cannot be told apart, and no address sends more than the cap), none with a hash.
    expect(unhashed).toHaveLength(gpc.length + dnt.length);
    expect(unhashed.every((row) => row.counted)).toBe(true);
    expect(rows.filter((row) => row.counted)).toHaveLength(countedPeople + gpc.length + dnt.length);
    // Bots: stored, flagged by reason, never counted.
    const botRows = rows.filter((row) => row.isBot);
    expect(botRows.some((row) => row.counted)).toBe(false);
    expect(countBy(botRows, (row) => row.botReason)).toEqual({
      "preview:linkedin": 200 + 25 + 40,
      "preview:slack": 200,
      user_agent: 200,
      head: 150,
      no_user_agent: 30,
    });
    expect(countBy(botRows, (row) => row.method)).toEqual({ GET: 200 + 40 + 200 + 200 + 30, HEAD: 25 + 150 });
    // Share started: only LinkedInBot's share-page fetches.
    const started = rows.filter((row) => row.shareStarted);
    expect(started).toHaveLength(40);
    expect(started.every((row) => row.isBot && row.botReason === "preview:linkedin" && !row.counted)).toBe(true);
    // No raw address was stored anywhere.
    expect(JSON.stringify(rows)).not.toMatch(/10\.\d+\.\d+\.\d+|192\.0\.2\.10/);
  }, 120_000);

  it("loses no answered click when the service is sent SIGTERM mid-load", async () => {
    const { link } = await seedLink(t.deps, "email");
    const port = await freePort();
    const service = spawnService(t.databaseUrl, port);
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        () => send(baseUrl, new Agent(), { path: "/healthz", headers: {} }),
        (outcome) => {
          if (service.exit.settled) throw new Error(`the service stopped while starting:\n${service.output()}`);
          return "status" in outcome && outcome.status === 200;
        },
        90_000,
      );

      // Load from 48 clients, each request a distinct visitor whose referrer names it. SIGTERM once
      // 1,500 redirects were answered (a periodic flush has likely run, and more clicks wait in the
      // buffer), while the clients keep sending. A client stops at its first failed request after
      // the signal (the server closed), when the process has exited, or 10 s after the signal
      // (a bound on the load, not an assertion).
      const agent = new Agent({ keepAlive: true, maxSockets: 48 });
      const answered = new Set<number>();
      const failed = new Set<number>();
      const failedEarly: Outcome[] = [];
      let next = 0;
      let signalled = 0;
      const client = async () => {
        while (!service.exit.settled && !(signalled && Date.now() - signalled > 10_000)) {
          const id = next++;
          const outcome = await send(baseUrl, agent, {
            path: `/r/${link.code}`,
            headers: {
              [CLIENT_IP_HEADER]: `10.5.${(id >> 8) & 255}.${id & 255}`,
              "user-agent": `${CHROME} load/${id}`,
              referer: `https://r${id}.example/`,
            },
          });
          if ("status" in outcome && outcome.status === 302) answered.add(id);
          else {
            failed.add(id);
            if (!signalled) failedEarly.push(outcome);
            else return;
          }
          if (!signalled && answered.size >= 1500) {
            signalled = Date.now();
            service.child.kill("SIGTERM");
          }
        }
      };
      await Promise.all(Array.from({ length: 48 }, client));
      agent.destroy();
      const exit = await service.exitWithin(60_000);
      expect(signalled).toBeGreaterThan(0);
      expect(failedEarly, "requests failed before the signal").toEqual([]);
      expect(exit, service.output()).toEqual({ code: 0, signal: null });

      const rows = await t.deps.db
        .select({ referrerHost: linkClicks.referrerHost, counted: linkClicks.counted })
        .from(linkClicks)
        .where(eq(linkClicks.code, link.code));
      const stored = new Set(rows.map((row) => Number(row.referrerHost?.replace(/^r(\d+)\.example$/, "$1"))));
      expect(rows).toHaveLength(stored.size); // one row per request
      const lost = [...answered].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      // The only rows beyond the answered ones are requests the server handled but whose answer
      // never arrived (the connection closed under them): failed ones, never invented ones.
      const unanswered = [...stored].filter((id) => !answered.has(id));
      expect(unanswered.filter((id) => !failed.has(id))).toEqual([]);
      expect(rows.every((row) => row.counted)).toBe(true);
    } finally {
      await service.dispose();
    }
  }, 180_000);
});

/** Spawned services, killed after the file whatever happened (a failed test must not leave one running). */
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/**
 * The real service (`bin/outcome-recap.js serve`, the operator's entry, which runs the CLI in this
 * very process, so a signal reaches the server itself rather than a tsx wrapper) on its own port.
 */
function spawnService(databaseUrl: string, port: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, "bin", "outcome-recap.js"), "serve", "--no-worker"],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        TMPDIR: process.env.TMPDIR ?? "/tmp",
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        SEED_DEMO: "false",
        TRUSTED_PROXY_IP_HEADER: CLIENT_IP_HEADER,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const output: string[] = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
  const exit = {
    settled: false,
    promise: new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => {
        exit.settled = true;
        resolve({ code, signal });
      });
    }),
  };
  children.add(child);
  return {
    child,
    exit,
    output: () => output.join("").slice(-3000),
    /** The exit, or a failure (and SIGKILL) when the process is still running after `ms`. */
    async exitWithin(ms: number) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`the service did not exit within ${ms} ms of SIGTERM:\n${output.join("").slice(-3000)}`));
        }, ms);
      });
      try {
        return await Promise.race([exit.promise, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async dispose() {
      if (!exit.settled) {
        child.kill("SIGKILL");
        await exit.promise;
      }
    },
  };
}
