import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../../src/platform/auth/scopes.js";
import { updateTenantSettings } from "../../src/platform/tenancy/tenants.js";
import { QUARTERLY_SCHEDULE_JOB, runQuarterlySchedule } from "../../src/recaps/schedule.js";
import { lastFullQuarter, quarterRange } from "../../src/usage/period.js";
import {
  type HttpAnswer,
  httpRequest,
  type ServiceProcess,
  startService,
  until,
  waitUntilServing,
} from "../faults/processes.js";
import { createLink, publishedRecap, type SharingTenant, sharingTenant } from "../sharing/sharing-support.js";
import { makeApiKey } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/**
 * The documented topology: two API processes (`serve --no-worker`) and one worker
 * (`outcome-recap worker`), all on one PostgreSQL. Nothing may depend on which instance a request
 * reaches: the worker drafts what either API accepted, the schedule creates each recap once however
 * many times it fires, clicks answered by either instance are all written (and one visitor is
 * counted once across both), and a key's rate limit is one budget shared by both.
 */

const RATE = 12;
let t: TestContext;
let who: SharingTenant;
let apiA: ServiceProcess;
let apiB: ServiceProcess;
let worker: ServiceProcess;
let linkCode: string;

const BROWSER = (n: number) =>
  `Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.${n} Safari/605.1.15`;

const get = (service: ServiceProcess, path: string, headers: Record<string, string> = {}) =>
  httpRequest(`${service.url}${path}`, { headers });
const asJson = (answer: HttpAnswer) => JSON.parse(answer.text);

beforeAll(async () => {
  t = await createTestContext();
  who = await sharingTenant(t);
  // This process only serves the seeding requests and enqueues: the spawned worker runs every job.
  const env = {
    DATABASE_URL: t.databaseUrl,
    RATE_LIMIT_PER_MINUTE: String(RATE),
    RATE_LIMIT_BURST: String(RATE),
    CLICK_FLUSH_MS: "200",
    // The visitors below are people on their own addresses, as a trusted proxy would report them.
    TRUSTED_PROXY_IP_HEADER: "x-client-ip",
  };
  [apiA, apiB, worker] = await Promise.all([
    startService("serve", env, { args: ["--no-worker"] }),
    startService("serve", env, { args: ["--no-worker"] }),
    startService("worker", env),
  ]);
  await Promise.all([
    waitUntilServing(apiA),
    waitUntilServing(apiB),
    worker.waitForLog((line) => line.msg === "worker started"),
  ]);
  const recap = await publishedRecap(t, who, "team-12");
  linkCode = (await createLink(t, who.backendKey, recap.id)).code;
}, 240_000);
afterAll(async () => {
  await Promise.all([apiA?.dispose(), apiB?.dispose(), worker?.dispose()]);
  await t?.close();
});

/** A key used only against the spawned instances, so its rate budget is theirs alone. */
async function freshKey(scopes: Scope[]) {
  return (await makeApiKey(t.deps, who.tenant.id, scopes)).key;
}

describe("two API processes and one worker on one PostgreSQL", () => {
  it("drafts on the worker what either API process accepted", async () => {
    const created = await Promise.all(
      [apiA, apiB].map((api, index) =>
        httpRequest(`${api.url}/v1/recaps`, {
          method: "POST",
          headers: { authorization: `Bearer ${who.backendKey}` },
          body: JSON.stringify({ account: `team-${20 + index}` }),
        }),
      ),
    );
    expect(created.map((answer) => answer.status)).toEqual([202, 202]);
    for (const answer of created) {
      const id = asJson(answer).id;
      const state = await until(`recap ${id} drafted by the worker`, async () => {
        const recap = (await call(t.app, "GET", `/v1/recaps/${id}`, { key: who.key })).body;
        return recap.state === "drafting" ? undefined : recap.state;
      });
      expect(state).toBe("pending_review");
    }
  }, 120_000);

  it("creates each scheduled recap once, however many times the schedule fires at once", async () => {
    const now = new Date();
    const quarterEnd = quarterRange(lastFullQuarter(now, "UTC"), "UTC").end;
    // The schedule day that makes last quarter due today (and still inside its catch-up window).
    const daysSinceEnd = Math.floor((now.getTime() - quarterEnd.getTime()) / 86_400_000);
    await updateTenantSettings(t.deps.db, who.tenant.id, {
      recapScheduleDay: Math.min(60, Math.max(0, daysSinceEnd - 1)),
    });
    const before = await quarterlyCounts();
    // Three firings for the worker, and the same schedule run twice in this process at the same time.
    await Promise.all([1, 2, 3].map(() => t.deps.queue.boss.send(QUARTERLY_SCHEDULE_JOB, {})));
    await Promise.all([runQuarterlySchedule(t.deps), runQuarterlySchedule(t.deps)]);
    await until("the worker's schedule jobs", async () => {
      const [row] = await t.deps.sql<{ open: number }[]>`
        select count(*)::int as open from pgboss.job where name = ${QUARTERLY_SCHEDULE_JOB} and state in ('created', 'retry', 'active')`;
      return row?.open === 0 ? true : undefined;
    });
    const after = await quarterlyCounts();
    expect(after.accounts).toBe(30); // every demo account now has last quarter's recap (3 came from the API) …
    expect(after.max).toBe(1); // … exactly once
    expect(after.recaps).toBeGreaterThan(before.recaps);
  }, 120_000);

  it("writes the clicks answered by either instance, and counts a visitor once across both", async () => {
    const answers: number[] = [];
    for (let visitor = 0; visitor < 10; visitor++) {
      for (const api of [apiA, apiB])
        answers.push(
          (
            await get(api, `/r/${linkCode}`, {
              "user-agent": BROWSER(visitor),
              "x-client-ip": `198.51.100.${visitor + 1}`,
            })
          ).status,
        );
    }
    expect(answers.every((status) => status === 302)).toBe(true);
    const rows = await until("both instances' clicks flushed", async () => {
      const [row] = await t.deps.sql<{ total: number; counted: number }[]>`
        select count(*)::int as total, count(*) filter (where counted)::int as counted
        from link_clicks where code = ${linkCode}`;
      return row && row.total >= 20 ? row : undefined;
    });
    expect(rows).toEqual({ total: 20, counted: 10 });
  }, 60_000);

  it("shares one rate budget per key between the instances", async () => {
    const key = await freshKey(["recaps:read"]);
    const statuses: number[] = [];
    for (let i = 0; i < RATE + 6; i++) {
      const api = i % 2 === 0 ? apiA : apiB;
      statuses.push((await get(api, "/v1/recaps?limit=1", { authorization: `Bearer ${key}` })).status);
    }
    // A refill of one request takes 60 / 12 = 5 s; the loop takes far less on any machine, but a
    // very slow one may earn one extra request back.
    const allowed = statuses.filter((status) => status === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(RATE);
    expect(allowed).toBeLessThanOrEqual(RATE + 1);
    expect(statuses.filter((status) => status === 429).length).toBe(RATE + 6 - allowed);
    expect(statuses.slice(0, RATE).every((status) => status === 200)).toBe(true);
  }, 60_000);
});

async function quarterlyCounts() {
  const [row] = await t.deps.sql<{ recaps: number; accounts: number; max: number }[]>`
    select count(*)::int as recaps, count(distinct account_id)::int as accounts, coalesce(max(n), 0)::int as max
    from (select account_id, count(*) as n from recaps
          where tenant_id = ${who.tenant.id} and kind = 'quarterly'
          group by account_id, period) per_account`;
  return row ?? { recaps: 0, accounts: 0, max: 0 };
}
