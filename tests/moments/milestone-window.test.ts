import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatPeriod } from "../../src/i18n/format.js";
import { MOMENTS_EVALUATE_JOB } from "../../src/moments/evaluate.js";
import { fixedClock } from "../../src/platform/clock.js";
import { RECAP_DRAFT_JOB } from "../../src/recaps/generate.js";
import { ROLLUP_REBUILD_JOB } from "../../src/usage/rollups.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { Browser } from "../support/browser.js";
import { makeTenantWithKey, makeUser } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { jobsSettled } from "../support/jobs.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/** The second day of Q4: the calendar quarter so far has one day of usage, the trailing window 90. */
const NOW = new Date("2026-10-02T09:00:00Z");
const DAY = 86_400_000;
const clock = fixedClock(NOW);
const at = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY).toISOString();

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
let firstIntegration: string;

/** `count` automation runs, one every `step` days going back from `fromDaysAgo`. */
const runs = (account: string, prefix: string, count: number, fromDaysAgo: number, step = 1) =>
  Array.from({ length: count }, (_, index) => ({
    account,
    event: "automation.run",
    occurred_at: at(fromDaysAgo + ((index * step) % 120)),
    event_id: `${prefix}-${index}`,
  }));
const integration = (account: string, daysAgo = 0.01) => ({
  account,
  event: "integration.added",
  occurred_at: at(daysAgo),
  event_id: `${account}-integration`,
});

async function send(events: object[]) {
  const response = await call(t.app, "POST", "/v1/events", { key: a.key, body: { events } });
  expect(response.status).toBe(200);
  await jobsSettled(t.deps.sql, [MOMENTS_EVALUATE_JOB, RECAP_DRAFT_JOB]);
}

async function firingsOf(account: string) {
  return t.deps.sql<
    { rule: string; outcome: string; reason: string | null; attempts: number; recap_id: string | null }[]
  >`
    select r.name as rule, f.outcome, f.reason, f.attempts, f.recap_id from moment_firings f
    join accounts ac on ac.id = f.account_id join moment_rules r on r.id = f.rule_id
    where ac.external_id = ${account} and ac.tenant_id = ${a.tenant.id} order by r.created_at`;
}

const recap = async (id: string | null) => (await call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key })).body;

beforeAll(async () => {
  t = await createTestContext({ clock });
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, a.tenant.id, key, input);
  for (const id of ["kide", "uusi", "duo"])
    await call(t.app, "PUT", `/v1/accounts/${id}`, { key: a.key, body: { name: id, timeZone: "Europe/Helsinki" } });
  const rule = await call(t.app, "POST", "/v1/value-moments", {
    key: a.key,
    body: { kind: "first_event", name: "First integration live", event: "integration.added" },
  });
  firstIntegration = rule.body.id;
  await t.startWorkers();
});
afterAll(() => t.close());

describe("milestone recaps over a trailing window", () => {
  it("a first_event on the second day of a quarter makes a milestone recap over the 90 days before it", async () => {
    // A run every fourth day since June (none yet in October), then the first integration on 2 October.
    await send([...runs("kide", "k", 30, 3, 4), integration("kide")]);
    const [firing] = await firingsOf("kide");
    expect(firing).toMatchObject({ rule: "First integration live", outcome: "created", reason: null });
    const made = await recap(firing?.recap_id ?? null);
    expect(made).toMatchObject({
      kind: "milestone",
      period: "P90D/2026-10-02",
      origin: { type: "trigger", ruleName: "First integration live", detail: "first integration.added" },
    });
    expect(made.digest.period).toMatchObject({ start: at(90), end: NOW.toISOString() });
    // The comparison is the 90 days before the window.
    expect(made.digest.previousPeriod).toMatchObject({ start: at(180), end: at(90) });
    // The copy is about the moment, and the transparency line says what made the recap and over which days.
    expect(made.copy.headline).toContain("First integration live");
    expect(made.copy.transparencyNote).toContain("“First integration live”");
    expect(made.copy.transparencyNote).toContain("in the last 90 days");
    expect(made.factCheck.ok).toBe(true);
  });

  it("a data-gate miss is kept open with its reason, retried by the next batch, and then succeeds once", async () => {
    await send([...runs("uusi", "u1", 2, 1), integration("uusi")]);
    const [missed] = await firingsOf("uusi");
    expect(missed).toMatchObject({ outcome: "insufficient_data", attempts: 1, recap_id: null });
    expect(missed?.reason).toContain("fewer than 20 events in the period");

    // The next batch for the account: enough usage, so the same firing now makes the recap.
    clock.set(new Date(NOW.getTime() + 3_600_000));
    await send(runs("uusi", "u2", 25, 0.01).map((event, index) => ({ ...event, occurred_at: at(index % 5) })));
    const [retried] = await firingsOf("uusi");
    expect(retried).toMatchObject({ outcome: "created", attempts: 2, reason: null });
    const made = await recap(retried?.recap_id ?? null);
    // The account started four days ago: the recap covers the time since, not 90 days.
    expect(made.period).toBe("2026-09-28/2026-10-02");
    expect(made.copy.transparencyNote).toContain("since you started");

    // A first event counts once: later usage neither fires again nor makes another recap.
    await send(runs("uusi", "u3", 3, 0.01));
    expect(await firingsOf("uusi")).toHaveLength(1);
  });

  it("two rules firing at once for one account make one recap that answers both", async () => {
    const colleagues = await call(t.app, "POST", "/v1/value-moments", {
      key: a.key,
      body: { kind: "distinct_users", name: "Two colleagues on reports", event: "report.viewed", threshold: 2 },
    });
    expect(colleagues.status).toBe(201);
    await jobsSettled(t.deps.sql, [ROLLUP_REBUILD_JOB]);
    const views = ["ann", "bo"].map((user) => ({
      account: "duo",
      event: "report.viewed",
      occurred_at: at(0.02),
      event_id: `duo-view-${user}`,
      properties: { user_id: user },
    }));
    await send([...runs("duo", "d", 30, 1), integration("duo"), ...views]);
    const firings = await firingsOf("duo");
    expect(firings.map((firing) => [firing.rule, firing.outcome])).toEqual([
      ["First integration live", "created"],
      ["Two colleagues on reports", "created"],
    ]);
    expect(new Set(firings.map((firing) => firing.recap_id)).size).toBe(1);
    const made = await recap(firings[0]?.recap_id ?? null);
    expect(made.origin.ruleIds).toHaveLength(2);
    const milestones = await call(t.app, "GET", "/v1/recaps?account=duo&kind=milestone", { key: a.key });
    expect(milestones.body.data).toHaveLength(1);

    // The review screen says why the recap exists: each rule and what it saw.
    const reviewer = new Browser(t.app);
    const signedIn = await reviewer.signIn((await makeUser(t.deps, a.tenant.id)).email);
    // The session cookie expires by the test's clock (October), which the helper reads as already gone.
    for (const [name, cookie] of signedIn.setCookies) reviewer.cookies.set(name, cookie.value);
    const page = await reviewer.get(`/review/recaps/${made.id}`);
    expect([page.status, page.location]).toEqual([200, null]);
    expect(page.text).toContain("Why it exists");
    expect(page.text).toContain("Value moment “First integration live” fired: first integration.added");
    expect(page.text).toContain(
      "Value moment “Two colleagues on reports” fired: 2 distinct user_id used report.viewed",
    );
  });

  it("label the window in each locale's words", () => {
    expect(["en", "et", "fi", "de", "sv"].map((lng) => formatPeriod("P90D/2026-10-02", lng as "en"))).toEqual([
      "the last 90 days",
      "viimased 90 päeva",
      "viimeiset 90 päivää",
      "die letzten 90 Tage",
      "de senaste 90 dagarna",
    ]);
    expect(["en", "et", "fi", "de", "sv"].map((lng) => formatPeriod("2026-09-28/2026-10-02", lng as "en"))).toEqual([
      "since you started",
      "algusest peale",
      "alusta asti",
      "seit Ihrem Start",
      "sedan ni började",
    ]);
    expect(formatPeriod("2026-Q3", "fi")).toBe("Q3\u00a02026");
  });
});

describe("GET /v1/value-moments/{id}/firings", () => {
  it("lists the rule's firings newest first, a page at a time, with what the rule saw and what came of it", async () => {
    const first = await call(t.app, "GET", `/v1/value-moments/${firstIntegration}/firings?limit=2`, { key: a.key });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await call(
      t.app,
      "GET",
      `/v1/value-moments/${firstIntegration}/firings?limit=2&cursor=${first.body.next}`,
      { key: a.key },
    );
    expect(second.body).toMatchObject({ next: null });
    const all = [...first.body.data, ...second.body.data];
    expect(all.map((firing: { account: string }) => firing.account).sort()).toEqual(["duo", "kide", "uusi"]);
    const uusi = all.find((firing: { account: string }) => firing.account === "uusi");
    expect(uusi).toMatchObject({
      detail: "first integration.added",
      outcome: "created",
      attempts: 2,
      recapId: expect.any(String),
      firedAt: NOW.toISOString(),
    });
    const times = all.map((firing: { firedAt: string }) => firing.firedAt);
    expect(times).toEqual([...times].sort().reverse());
    expectProblem(
      await call(t.app, "GET", `/v1/value-moments/${firstIntegration}/firings?cursor=nonsense`, { key: a.key }),
      400,
      "validation_failed",
    );
  });

  it("is a 404 for another tenant's rule and for a rule that does not exist", async () => {
    expectProblem(
      await call(t.app, "GET", `/v1/value-moments/${firstIntegration}/firings`, { key: b.key }),
      404,
      "not_found",
    );
    expectProblem(
      await call(t.app, "GET", "/v1/value-moments/00000000-0000-4000-8000-000000000000/firings", { key: a.key }),
      404,
      "not_found",
    );
  });
});
