import {
  createOutcomeRecapClient,
  type OutcomeRecapClient,
  type RecapState,
  sendEvents,
  verifyWebhook,
  waitForRecap,
} from "@outcome-recap/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Drafter } from "../../src/drafting/drafter.types.js";
import { createOpenAiDrafter } from "../../src/drafting/openai-drafter.js";
import { lastFullQuarter, quarterRange } from "../../src/usage/period.js";
import { DEFAULT_VALUE_MODEL } from "../../src/usage/value-model.js";
import { SIGNUP_URL, waitFor } from "../sharing/sharing-support.js";
import { makeApiKey, makeTenant } from "../support/factories.js";
import { type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai-server.js";
import { honestCopy } from "../support/honest-copy.js";
import { type ApiResponse, call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { type Receiver, startReceiver } from "../webhooks/receiver.js";

/**
 * The whole loop through the public API, as a product backend, a reviewer, the end customers,
 * their LinkedIn audience and the growth team meet it: 30 accounts and a quarter of events →
 * 30 recaps (one drafted by the OpenAI-compatible server) → 20 approved, 1 rejected → 12 published →
 * links → human and bot clicks → signups and a payment → loop analytics and signed webhooks.
 * The product backend's part (events, waiting for drafts, verifying webhooks) goes through the SDK
 * in sdk/, so the SDK is exercised against the current routes on every run.
 */

const ACCOUNTS = 30;
const LOCALES = ["en", "fi", "de", "et", "sv"] as const;
const BROWSER = (n: number) =>
  `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${n}.0 Safari/537.36`;

let t: TestContext;
let openai: FakeOpenAi;
let receiver: Receiver;
let template: Drafter;
let keys: { backend: string; reviewer: string; growth: string; admin: string };
/** The product backend's SDK client, calling the app in-process. */
let backend: OutcomeRecapClient;
let webhookSecret: string;
const recapIds: string[] = [];
const links: Record<number, { code: string; channel: string }[]> = {};

const api = (method: string, path: string, key: string, body?: unknown, headers?: Record<string, string>) =>
  call(t.app, method, path, { key, body, headers });

const recap = (id: string) => api("GET", `/v1/recaps/${id}`, keys.backend);

function act(key: string, id: string, action: string, current: ApiResponse, body: unknown = {}) {
  return api("POST", `/v1/recaps/${id}/${action}`, key, body, { "if-match": current.headers.get("etag") ?? "" });
}

const SETTLED: RecapState[] = ["pending_review", "approved", "rejected", "failed"];

async function settled(id: string) {
  await waitForRecap(backend, id, SETTLED, { timeoutMs: 60_000, intervalMs: 200 });
  return recap(id);
}

/** Deterministic weekday activity: account i runs 3 + i % 5 automations a day and captures some discounts. */
function quarterOfEvents(index: number, now: Date) {
  const range = quarterRange(lastFullQuarter(now, "UTC"), "UTC");
  const events = [];
  for (let day = range.start.getTime(); day < range.end.getTime(); day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let run = 0; run < 3 + (index % 5); run++) {
      const at = new Date(day + (8 + run) * 3_600_000).toISOString();
      events.push({ account: `acct-${index}`, event: "automation.run", quantity: 1, occurred_at: at });
    }
    if (new Date(day).getUTCDate() % 7 === index % 7) {
      const at = new Date(day + 14 * 3_600_000).toISOString();
      events.push({
        account: `acct-${index}`,
        event: "invoice.discount_captured",
        quantity: 40 + index,
        occurred_at: at,
      });
    }
  }
  return events;
}

/** Each user agent is a person on their own address (as the trusted proxy reports it), so the per-address cap does not merge them. */
const addresses = new Map<string, string>();
const addressOf = (userAgent: string) => {
  if (!addresses.has(userAgent)) addresses.set(userAgent, `203.0.113.${addresses.size + 1}`);
  return addresses.get(userAgent) as string;
};

async function click(path: string, userAgent: string, method = "GET") {
  const response = await t.app.fetch(
    new Request(`https://recaps.example.com${path}`, {
      method,
      headers: { "user-agent": userAgent, "x-client-ip": addressOf(userAgent) },
    }),
  );
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  openai = await startFakeOpenAi();
  receiver = await startReceiver();
  t = await createTestContext({
    env: {
      WEBHOOKS_ALLOW_INSECURE: "true",
      PUBLIC_BASE_URL: "https://recaps.example.com",
      TRUSTED_PROXY_IP_HEADER: "x-client-ip",
    },
  });
  t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
  template = t.deps.drafter;
  const tenant = await makeTenant(t.deps, { signupUrl: SIGNUP_URL, variantPolicy: "split" });
  keys = {
    backend: (
      await makeApiKey(t.deps, tenant.id, [
        "events:write",
        "accounts:write",
        "recaps:read",
        "recaps:write",
        "conversions:write",
      ])
    ).key,
    reviewer: (await makeApiKey(t.deps, tenant.id, ["review", "recaps:read"])).key,
    growth: (await makeApiKey(t.deps, tenant.id, ["analytics:read"])).key,
    admin: (await makeApiKey(t.deps, tenant.id, ["admin"])).key,
  };
  backend = createOutcomeRecapClient({
    baseUrl: "https://recaps.example.com",
    apiKey: keys.backend,
    fetch: (request) => t.app.fetch(request),
  });
  await t.startWorkers();
}, 120_000);
afterAll(async () => {
  await t?.close();
  await openai?.close();
  await receiver?.close();
});

describe("the whole loop", () => {
  it("takes in 30 accounts and a quarter of their events through the API", async () => {
    const endpoint = await api("POST", "/v1/webhooks", keys.admin, { url: `${receiver.origin}/hooks` });
    expect(endpoint.status, endpoint.text).toBe(201);
    webhookSecret = endpoint.body.secret;
    for (const { key, input } of DEFAULT_VALUE_MODEL) {
      const metric = await api("PUT", `/v1/value-model/metrics/${key}`, keys.admin, input);
      expect([200, 201], metric.text).toContain(metric.status);
    }
    let events = 0;
    for (let index = 0; index < ACCOUNTS; index++) {
      const account = await api("PUT", `/v1/accounts/acct-${index}`, keys.backend, {
        name: `Customer ${index}`,
        locale: LOCALES[index % LOCALES.length],
        segment: index < 15 ? "smb" : "mid",
        seats: 10 + index,
      });
      expect(account.status, account.text).toBe(201);
      const batch = quarterOfEvents(index, t.deps.clock.now());
      const ingested = await sendEvents(backend, batch);
      expect(ingested).toMatchObject({ batches: 1, inserted: batch.length, duplicates: 0 });
      events += batch.length;
    }
    expect(events).toBeGreaterThan(8_000);
  }, 120_000);

  it("drafts 30 recaps: one through the OpenAI-compatible server, the rest with the template drafter", async () => {
    t.deps.drafter = createOpenAiDrafter({
      apiKey: "sk-e2e",
      baseURL: openai.baseURL,
      model: "e2e-model",
      timeoutMs: 5_000,
      maxRetries: 0,
    });
    openai.reply((request) => ({ json: honestCopy(request) }));
    const first = await api("POST", "/v1/recaps", keys.backend, { account: "acct-0" });
    expect(first.status, first.text).toBe(202);
    recapIds.push(first.body.id);
    const drafted = await settled(first.body.id);
    expect(drafted.body.state).toBe("pending_review");
    expect(drafted.body.drafting).toMatchObject({ drafter: "openai", model: "e2e-model", flags: [] });
    expect(openai.requests).toHaveLength(1);

    t.deps.drafter = template;
    for (let index = 1; index < ACCOUNTS; index++) {
      const created = await api("POST", "/v1/recaps", keys.backend, { account: `acct-${index}` });
      expect(created.status, created.text).toBe(202);
      recapIds.push(created.body.id);
    }
    for (const id of recapIds.slice(1)) {
      const done = await settled(id);
      expect(done.body.state, done.text).toBe("pending_review");
      expect(done.body.drafting.drafter).toBe("template");
      expect(done.body.factCheck.ok, JSON.stringify(done.body.factCheck)).toBe(true);
    }
  }, 240_000);

  it("has the reviewer approve 20 and reject one, and 12 customers publish", async () => {
    for (const id of recapIds.slice(0, 20)) {
      const approved = await act(keys.reviewer, id, "approve", await recap(id));
      expect(approved.status, approved.text).toBe(200);
    }
    const rejected = await act(keys.reviewer, recapIds[20] as string, "reject", await recap(recapIds[20] as string), {
      reason: "The customer asked us not to publish this quarter.",
    });
    expect(rejected.status, rejected.text).toBe(200);
    for (const id of recapIds.slice(0, 12)) {
      const published = await act(keys.backend, id, "publish", await recap(id), { hiddenFactIds: [] });
      expect(published.status, published.text).toBe(200);
    }
  }, 120_000);

  it("shares through tracked links that count people once and bots never", async () => {
    for (let index = 0; index < 10; index++) {
      const channels = index === 0 ? ["linkedin", "email"] : ["linkedin"];
      links[index] = [];
      for (const channel of channels) {
        const made = await api("POST", `/v1/recaps/${recapIds[index]}/links`, keys.backend, { channel });
        expect(made.status, made.text).toBe(201);
        links[index]?.push({ code: made.body.code, channel });
      }
    }
    // Recap i (0–5) gets i + 1 distinct visitors: 21 people. Recap 0's first visitor clicks twice.
    let visitor = 0;
    for (let index = 0; index < 6; index++) {
      const code = links[index]?.[0]?.code;
      for (let person = 0; person <= index; person++) expect(await click(`/r/${code}`, BROWSER(visitor++))).toBe(302);
    }
    expect(await click(`/r/${links[0]?.[0]?.code}`, BROWSER(0))).toBe(302);
    // Bots: LinkedIn's preview of the share page (a share started), Slackbot, curl, and a HEAD check.
    expect(
      await click(
        `/s/${links[1]?.[0]?.code}`,
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
      ),
    ).toBe(200);
    expect(await click(`/r/${links[2]?.[0]?.code}`, "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")).toBe(
      302,
    );
    expect(await click(`/r/${links[3]?.[0]?.code}`, "curl/8.5.0")).toBe(302);
    expect(await click(`/r/${links[4]?.[0]?.code}`, BROWSER(999), "HEAD")).toBe(302);
    await t.deps.clicks.flush();
  });

  it("attributes signups and a payment, and emits loop.completed once per recap", async () => {
    const conversions = [
      { ref: links[0]?.[0]?.code, type: "signup", externalUserId: "new-1" },
      { ref: links[0]?.[1]?.code, type: "signup", externalUserId: "new-2" },
      { ref: links[0]?.[0]?.code, type: "signup", externalUserId: "new-3" },
      { ref: links[0]?.[0]?.code, type: "paid", externalUserId: "new-1", value: 99, currency: "EUR" },
      { ref: links[1]?.[0]?.code, type: "signup", externalUserId: "new-4" },
      { ref: links[1]?.[0]?.code, type: "activation", externalUserId: "new-4" },
      { ref: links[2]?.[0]?.code, type: "signup", externalUserId: "new-5" },
    ];
    for (const body of conversions) {
      const recorded = await api("POST", "/v1/conversions", keys.backend, body);
      expect(recorded.status, recorded.text).toBe(201);
    }
    // A backend retrying the same signup changes nothing.
    const retried = await api("POST", "/v1/conversions", keys.backend, conversions[0]);
    expect(retried.status).toBe(200);
  });

  it("gives the growth team the loop's numbers", async () => {
    const analytics = await api("GET", "/v1/analytics/loop", keys.growth);
    expect(analytics.status, analytics.text).toBe(200);
    const { totals, variants, economics } = analytics.body;
    expect(totals.stages).toEqual({
      generated: 30,
      approved: 20,
      published: 12,
      shared: 6, // recaps 0–5 had human clicks; 6–9 have links nobody clicked; 10–11 have none
      visitors: 21,
      signups: 5,
      activated: 1,
      paid: 1,
    });
    expect(totals.humanClicks).toBe(21); // the repeat click within the hour is not counted
    expect(totals.botClicks).toBe(4);
    expect(totals.shareStarts).toBe(1);
    expect(totals.kpis).toMatchObject({
      publishedRecaps: 12,
      completedLoops: 3,
      conversionRate: 0.25,
      multiplier: 0.4167, // 5 / 12
      signupsPerCompletedLoop: 1.6667,
      verdict: "below_one",
    });
    expect(totals.kpis.velocity.completedLoops).toBe(3);
    expect(totals.kpis.statement).toContain("below 1");
    expect(variants.a.trials + variants.b.trials).toBe(12);
    expect(variants.a.successes + variants.b.successes).toBe(3);
    expect(economics.attributedRevenue).toBe(99);
    expect(economics.llmSpendUsd).toBeGreaterThanOrEqual(0);

    const byChannel = await api("GET", "/v1/analytics/loop?groupBy=channel", keys.growth);
    const linkedin = byChannel.body.groups.find((group: { key: string }) => group.key === "linkedin");
    expect(linkedin.stages).toMatchObject({ published: 6, shared: 6, signups: 5 });
  });

  it("delivered every webhook, signed", async () => {
    const expected = {
      "recap.drafted": 30,
      "recap.approved": 20,
      "recap.rejected": 1,
      "recap.published": 12,
      "loop.completed": 3,
    };
    const counts = await waitFor(
      async () => {
        const tally: Record<string, number> = {};
        for (const request of receiver.received("/hooks")) {
          const event = verifyWebhook(webhookSecret, request.raw, request.headers);
          tally[event.type] = (tally[event.type] ?? 0) + 1;
        }
        return tally;
      },
      (tally) => Object.entries(expected).every(([type, count]) => tally[type] === count),
      90_000,
    );
    expect(counts).toMatchObject(expected);
  }, 120_000);
});
