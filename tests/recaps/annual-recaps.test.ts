import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/platform/clock.js";
import { annualDueDate, runAnnualSchedule } from "../../src/recaps/annual-schedule.js";
import { upsertAccount } from "../../src/usage/accounts.js";
import { ingestEvents } from "../../src/usage/ingestion.js";
import { upsertMetric } from "../../src/usage/value-model.js";
import { Browser } from "../support/browser.js";
import { makeTenantWithKey, makeUser } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

// Wednesday 2 December 2026: 1 December (a Tuesday) has come in every zone below.
const clock = fixedClock(new Date("2026-12-02T12:00:00Z"));
const HOUR = 3_600_000;
let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;

const ACCOUNTS = [
  { id: "kide", timeZone: "Europe/Helsinki", from: "2025-01-03T09:00:00Z" },
  { id: "harbor", timeZone: "America/New_York", from: "2026-02-03T15:00:00Z" },
  { id: "fjord", timeZone: "Europe/Stockholm", from: "2026-05-03T09:00:00Z" },
];

/** Five minutes saved per run: the one metric both tenants measure. */
const RUNS_METRIC = {
  label: "Runs",
  event: "run",
  outcomeKind: "time_saved",
  unit: "minutes",
  aggregation: "count",
  multiplier: 5,
  higherIsBetter: true,
  priority: 10,
} as const;

beforeAll(async () => {
  t = await createTestContext({ clock });
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  await upsertMetric(t.deps.db, a.tenant.id, "runs", RUNS_METRIC);
  for (const account of ACCOUNTS) {
    await upsertAccount(t.deps.db, a.tenant.id, account.id, {
      name: `${account.id} Oy`,
      currency: "EUR",
      timeZone: account.timeZone,
      consent: { publicRecap: true, peerComparison: false },
    });
    const events = [];
    for (let at = Date.parse(account.from); at < Date.parse("2026-12-01T00:00:00Z"); at += 53 * HOUR)
      events.push({ account: account.id, event: "run", occurred_at: new Date(at).toISOString(), quantity: 1 });
    await ingestEvents(t.deps, a.tenant.id, events, clock.now());
  }
  // Too little usage for a recap worth sharing: the schedule counts it and moves on.
  await upsertAccount(t.deps.db, a.tenant.id, "quiet", {
    name: "Quiet AB",
    currency: "EUR",
    timeZone: "Europe/Stockholm",
    consent: { publicRecap: true, peerComparison: false },
  });
});
afterAll(() => t?.close());

async function annualRecaps(tenantId = a.tenant.id) {
  return t.deps.sql<{ period: string; kind: string }[]>`
    select period, kind from recaps where tenant_id = ${tenantId} and kind = 'annual' order by period`;
}

describe("POST /v1/recaps with kind annual", () => {
  it("refuses a period that is neither a quarter nor a year with a problem and creates nothing", async () => {
    const response = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: { account: "kide", period: "2026-13", kind: "annual" },
    });
    expectProblem(response, 400, "validation_failed");
    expect(JSON.stringify(response.body)).toContain("period");
    expect(await annualRecaps()).toEqual([]);
  });

  it("refuses a future year, a quarter for an annual recap and a year for a quarterly one", async () => {
    for (const body of [
      { account: "kide", period: "2027", kind: "annual" },
      { account: "kide", period: "2026-Q3", kind: "annual" },
      { account: "kide", period: "2026" },
      { account: "kide", period: "2020", kind: "annual" },
    ]) {
      const response = await call(t.app, "POST", "/v1/recaps", { key: a.key, body });
      expectProblem(response, 400, "validation_failed");
      expect((response.body as { errors: { path: string }[] }).errors[0]?.path).toBe("period");
    }
    expect(await annualRecaps()).toEqual([]);
  });

  it("does not reach another tenant's account", async () => {
    const response = await call(t.app, "POST", "/v1/recaps", {
      key: b.key,
      body: { account: "kide", period: "2026", kind: "annual" },
    });
    expectProblem(response, 400, "validation_failed");
    expect(await annualRecaps()).toEqual([]);
    expect(await annualRecaps(b.tenant.id)).toEqual([]);
  });

  it("creates last year's finished recap once, and answers a second request with a conflict", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: { account: "kide", period: "2025", kind: "annual" },
    });
    expect(created.status).toBe(202);
    const recap = created.body as { kind: string; period: string; digest: { period: Record<string, unknown> } };
    expect(recap).toMatchObject({ kind: "annual", period: "2025" });
    expect(recap.digest.period).not.toHaveProperty("yearToDate");
    const again = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: { account: "kide", period: "2025", kind: "annual" },
    });
    expectProblem(again, 409, "conflict");
    expect(await annualRecaps()).toEqual([{ period: "2025", kind: "annual" }]);
  });
});

describe("the annual schedule", () => {
  it("is set through the tenant settings as a month and day, validated", async () => {
    for (const bad of ["2026-12-01", "13-01", "02-30", "02-29"]) {
      const response = await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { annualRecapDay: bad } });
      expectProblem(response, 400, "validation_failed");
    }
    const ok = await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { annualRecapDay: "12-01" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ annualRecapDay: "12-01" });
  });

  it("takes a holiday calendar as a country or region code, names the field when it is unknown, and keeps it to the tenant", async () => {
    for (const bad of ["XX", "fi", "DE-ZZ", "Finland"]) {
      const response = await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { holidayCalendar: bad } });
      expectProblem(response, 400, "validation_failed");
      expect(JSON.stringify(response.body)).toContain("holidayCalendar");
    }
    const ok = await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { holidayCalendar: "DE-BY" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ holidayCalendar: "DE-BY" });
    const other = await call(t.app, "GET", "/v1/tenant", { key: b.key });
    expect(other.body).toMatchObject({ holidayCalendar: null });
    const off = await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { holidayCalendar: null } });
    expect(off.body).toMatchObject({ holidayCalendar: null });
  });

  it("moves a day that falls on a weekend to the Monday after, in the account's time zone", () => {
    // 5 December 2026 is a Saturday; 1 December a Tuesday.
    expect(annualDueDate("12-05", 2026, "Europe/Helsinki").toISOString()).toBe("2026-12-06T22:00:00.000Z");
    expect(annualDueDate("12-01", 2026, "America/New_York").toISOString()).toBe("2026-12-01T05:00:00.000Z");
    // 31 December 2028 is a Sunday: the Monday after is next year, so the day stays.
    expect(annualDueDate("12-31", 2028, "UTC").toISOString()).toBe("2028-12-31T00:00:00.000Z");
  });

  it("waits for the day", async () => {
    clock.set(new Date("2026-11-30T12:00:00Z"));
    const early = await runAnnualSchedule(t.deps);
    expect(early).toMatchObject({ created: 0, notDue: 4 });
  });

  it("creates each account's year so far once when fired three times at once", async () => {
    clock.set(new Date("2026-12-02T12:00:00Z"));
    const runs = await Promise.all([runAnnualSchedule(t.deps), runAnnualSchedule(t.deps), runAnnualSchedule(t.deps)]);
    expect(runs.reduce((sum, run) => sum + run.created, 0)).toBe(3);
    expect(await annualRecaps()).toEqual([
      { period: "2025", kind: "annual" },
      { period: "2026", kind: "annual" },
      { period: "2026", kind: "annual" },
      { period: "2026", kind: "annual" },
    ]);
    const rows = await t.deps.sql<{ origin: string; year_to_date: boolean }[]>`
      select r.origin->>'type' as origin, (r.digest->'period'->>'yearToDate')::boolean as year_to_date
      from recaps r where r.tenant_id = ${a.tenant.id} and r.kind = 'annual' and r.period = '2026'`;
    expect(rows.every((row) => row.origin === "schedule" && row.year_to_date)).toBe(true);
    const again = await runAnnualSchedule(t.deps);
    expect(again).toMatchObject({ created: 0, existing: 3, insufficientData: 1 });
  });

  it("is held by a unique index, not only by the schedule's own check", async () => {
    const copy = t.deps.sql`
      insert into recaps (tenant_id, account_id, period, kind, locale, state, digest, origin, variant)
      select tenant_id, account_id, period, kind, locale, state, digest, origin, variant
      from recaps where tenant_id = ${a.tenant.id} and kind = 'annual' and period = '2026' limit 1`;
    await expect(copy).rejects.toMatchObject({ code: "23505", constraint_name: "recaps_annual_once_idx" });
  });

  it("counts a tenant without a value model and still answers for every other tenant", async () => {
    clock.set(new Date("2026-12-02T12:00:00Z"));
    const empty = await makeTenantWithKey(t.deps);
    await call(t.app, "PATCH", "/v1/tenant", { key: empty.key, body: { annualRecapDay: "12-01" } });
    await upsertAccount(t.deps.db, empty.tenant.id, "lonely", {
      name: "Lonely Oy",
      currency: "EUR",
      timeZone: "Europe/Helsinki",
      consent: { publicRecap: true, peerComparison: false },
    });
    const summary = await runAnnualSchedule(t.deps);
    expect(summary).toMatchObject({ existing: 3, insufficientData: 1, noValueModel: 1, failed: 0 });
    await call(t.app, "PATCH", "/v1/tenant", { key: empty.key, body: { annualRecapDay: null } });
  });

  it("waits past a public holiday of the tenant's calendar", async () => {
    // Monday 6 December 2027 is Finland's Independence Day: with the FI calendar the day is Tuesday.
    await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { annualRecapDay: null } });
    await call(t.app, "PATCH", "/v1/tenant", { key: b.key, body: { annualRecapDay: "12-06", holidayCalendar: "FI" } });
    await upsertMetric(t.deps.db, b.tenant.id, "runs", RUNS_METRIC);
    await upsertAccount(t.deps.db, b.tenant.id, "lumo", {
      name: "Lumo Oy",
      currency: "EUR",
      timeZone: "Europe/Helsinki",
      consent: { publicRecap: true, peerComparison: false },
    });
    clock.set(new Date("2027-12-06T12:00:00Z"));
    expect(await runAnnualSchedule(t.deps)).toMatchObject({ created: 0, notDue: 1, insufficientData: 0 });
    clock.set(new Date("2027-12-06T22:30:00Z"));
    expect(await runAnnualSchedule(t.deps)).toMatchObject({ notDue: 0, insufficientData: 1 });
    // Without the calendar the holiday is a working day like any Monday.
    await call(t.app, "PATCH", "/v1/tenant", { key: b.key, body: { holidayCalendar: null } });
    clock.set(new Date("2027-12-06T12:00:00Z"));
    expect(await runAnnualSchedule(t.deps)).toMatchObject({ notDue: 0, insufficientData: 1 });
  });
});

describe("a trailing window through the API", () => {
  const errorsOf = (body: unknown) => (body as { errors: { path: string; message: string }[] }).errors;

  it("makes a milestone recap over the window, and over the time since a given day", async () => {
    clock.set(new Date("2026-12-02T12:00:00Z"));
    const created = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: { account: "kide", period: "P90D/2026-11-30", kind: "milestone" },
    });
    expect(created.status).toBe(202);
    const recap = created.body as { period: string; kind: string; digest: Record<string, Record<string, string>> };
    expect(recap).toMatchObject({ period: "P90D/2026-11-30", kind: "milestone" });
    // 2 September to 30 November in Helsinki, both included; compared with the 90 days before.
    expect(recap.digest.period).toMatchObject({ start: "2026-09-01T21:00:00.000Z", end: "2026-11-30T22:00:00.000Z" });
    expect(recap.digest.previousPeriod).toMatchObject({ label: "P90D/2026-09-01" });
    const since = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: { account: "kide", period: "2026-10-01/2026-11-30", kind: "milestone" },
    });
    expect(since.status).toBe(202);
    expect(since.body).toMatchObject({ period: "2026-10-01/2026-11-30" });
  });

  it("lists recaps by a window's label, and only the caller's", async () => {
    const own = await call(t.app, "GET", "/v1/recaps?period=P90D%2F2026-11-30", { key: a.key });
    expect((own.body as { data: { period: string }[] }).data.map((recap) => recap.period)).toEqual(["P90D/2026-11-30"]);
    const other = await call(t.app, "GET", "/v1/recaps?period=P90D%2F2026-11-30", { key: b.key });
    expect((other.body as { data: unknown[] }).data).toEqual([]);
  });

  it("refuses a window with another kind, a bad window and one that has not ended, naming the period", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ period: "P90D/2026-11-30" }, 'is a trailing window: it takes kind "milestone"'],
      [{ period: "P90D/2026-11-30", kind: "annual" }, 'is a trailing window: it takes kind "milestone"'],
      [{ period: "P400D/2026-11-30", kind: "milestone" }, "must cover 1 to 366 days"],
      [{ period: "2026-11-31/2026-12-01", kind: "milestone" }, 'has "2026-11-31", which is not a date'],
      [{ period: "P30D/2026-12-03", kind: "milestone" }, "is in the future"],
      [{ period: "Q3/2026", kind: "milestone" }, 'must be a quarter such as "2026-Q3", a year such as "2026"'],
    ];
    for (const [body, message] of cases) {
      const response = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "kide", ...body } });
      expectProblem(response, 400, "validation_failed");
      expect(errorsOf(response.body)).toEqual([{ path: "period", message: expect.stringContaining(message) }]);
    }
  });

  it("does not reach another tenant's account", async () => {
    const response = await call(t.app, "POST", "/v1/recaps", {
      key: b.key,
      body: { account: "kide", period: "P90D/2026-11-30", kind: "milestone" },
    });
    expectProblem(response, 400, "validation_failed");
    expect(errorsOf(response.body)).toEqual([{ path: "account", message: 'no account "kide" in this tenant' }]);
  });
});

describe("the year in review on the review screens", () => {
  it("shows a running year as '2026 so far', to the day its numbers stop, and a finished one as it is", async () => {
    const reviewer = new Browser(t.app);
    const signedIn = await reviewer.signIn((await makeUser(t.deps, a.tenant.id)).email);
    // The session cookie expires by the test's clock (December 2026), which the helper reads as already gone.
    for (const [name, cookie] of signedIn.setCookies) reviewer.cookies.set(name, cookie.value);
    const [running, finished] = await Promise.all(
      ["2026", "2025"].map(
        async (period) =>
          (
            await t.deps.sql<{ id: string }[]>`
              select r.id from recaps r join accounts ac on ac.id = r.account_id
              where r.tenant_id = ${a.tenant.id} and r.kind = 'annual' and r.period = ${period} and ac.external_id = 'kide'`
          )[0]?.id,
      ),
    );
    const page = await reviewer.get(`/review/recaps/${running}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Recap for kide Oy · 2026 so far");
    expect(page.text).toContain("2026 so far (2026, to 2 Dec 2026)");
    const last = await reviewer.get(`/review/recaps/${finished}`);
    expect(last.text).toContain("Recap for kide Oy · 2025");
    expect(last.text).not.toContain("so far");
    const queue = await reviewer.get("/review?account=kide&state=all");
    expect(queue.text).toContain("year in review, so far");
    expect(queue.text).toMatch(/2025<div class="hint">year in review<\/div>/);
  });
});
