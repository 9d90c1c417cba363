import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOMENTS_EVALUATE_JOB } from "../../src/moments/evaluate.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { jobsSettled } from "../support/jobs.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
const now = Date.now();
const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString();

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, a.tenant.id, key, input);
  for (const id of ["busy", "steady"]) {
    await call(t.app, "PUT", `/v1/accounts/${id}`, { key: a.key, body: { name: id, timeZone: "UTC" } });
  }
  await t.startWorkers();
});
afterAll(() => t.close());

/** 30 automation runs spread over the last 4 days: 180 minutes saved, 4 active days. */
const runs = (account: string, prefix: string) =>
  Array.from({ length: 30 }, (_, index) => ({
    account,
    event: "automation.run",
    occurred_at: hoursAgo(1 + (index % 4) * 24),
    event_id: `${prefix}-${index}`,
  }));

async function firings(accountExternalId: string) {
  return t.deps.sql<{ outcome: string; detail: string; recap_id: string | null }[]>`
    select f.outcome, f.detail, f.recap_id from moment_firings f join accounts ac on ac.id = f.account_id
    where ac.external_id = ${accountExternalId} and ac.tenant_id = ${a.tenant.id} order by f.fired_at`;
}

describe("value-moment rules", () => {
  it("are created, listed and validated", async () => {
    const threshold = await call(t.app, "POST", "/v1/value-moments", {
      key: a.key,
      body: { kind: "threshold", name: "Two hours saved", metricKey: "hours_saved", threshold: 120, windowDays: 30 },
    });
    expect(threshold.status).toBe(201);
    const first = await call(t.app, "POST", "/v1/value-moments", {
      key: a.key,
      body: { kind: "first_event", name: "First integration", event: "integration.added" },
    });
    expect(first.status).toBe(201);
    const list = await call(t.app, "GET", "/v1/value-moments", { key: a.key });
    expect(list.body.data).toHaveLength(2);
    const unknownMetric = await call(t.app, "POST", "/v1/value-moments", {
      key: a.key,
      body: { kind: "threshold", name: "x", metricKey: "nope", threshold: 1, windowDays: 7 },
    });
    expect((expectProblem(unknownMetric, 400, "validation_failed").errors as { path: string }[])[0]?.path).toBe(
      "metricKey",
    );
    const badKind = await call(t.app, "POST", "/v1/value-moments", {
      key: a.key,
      body: { kind: "sometimes", name: "x" },
    });
    expectProblem(badKind, 400, "validation_failed");
  });

  it("create a milestone recap when usage crosses a threshold, once within the cooldown", async () => {
    const response = await call(t.app, "POST", "/v1/events", { key: a.key, body: { events: runs("busy", "r1") } });
    expect(response.body.inserted).toBe(30);
    await expect
      .poll(async () => (await firings("busy")).map((f) => f.outcome), { timeout: 15_000 })
      .toEqual(["created"]);
    const [firing] = await firings("busy");
    expect(firing?.detail).toContain("hours_saved reached 180 minutes");
    const recap = await call(t.app, "GET", `/v1/recaps/${firing?.recap_id}`, { key: a.key });
    expect(recap.body).toMatchObject({ kind: "milestone", origin: { type: "trigger" } });

    await call(t.app, "POST", "/v1/events", { key: a.key, body: { events: runs("busy", "r2") } });
    // The second batch is evaluated too, but the rule is cooling down: still one firing.
    await jobsSettled(t.deps.sql, [MOMENTS_EVALUATE_JOB]);
    expect(await firings("busy")).toHaveLength(1);
  });

  it("make one milestone recap when several rules fire for an account at once", async () => {
    await call(t.app, "POST", "/v1/events", {
      key: a.key,
      body: {
        events: [...runs("steady", "s1"), { account: "steady", event: "integration.added", occurred_at: hoursAgo(2) }],
      },
    });
    await expect
      .poll(async () => (await firings("steady")).map((firing) => firing.outcome).sort(), { timeout: 15_000 })
      .toEqual(["created", "created"]);
    expect(new Set((await firings("steady")).map((firing) => firing.recap_id)).size).toBe(1);
  });

  it("count distinct users of an event within the window", async () => {
    await call(t.app, "PUT", "/v1/accounts/team", { key: a.key, body: { name: "Team", timeZone: "UTC" } });
    const rule = await call(t.app, "POST", "/v1/value-moments", {
      key: a.key,
      body: {
        kind: "distinct_users",
        name: "Three colleagues",
        event: "report.viewed",
        property: "user_id",
        threshold: 3,
      },
    });
    expect(rule.status).toBe(201);
    const views = (users: string[], prefix: string) =>
      users.map((user, index) => ({
        account: "team",
        event: "report.viewed",
        occurred_at: hoursAgo(2 + index),
        event_id: `${prefix}-${index}`,
        properties: { user_id: user },
      }));
    // Two people (one of them twice): below the threshold.
    await call(t.app, "POST", "/v1/events", {
      key: a.key,
      body: { events: [...runs("team", "t1"), ...views(["ann", "bo", "ann"], "v1")] },
    });
    await jobsSettled(t.deps.sql, [MOMENTS_EVALUATE_JOB]);
    expect((await firings("team")).filter((f) => f.detail.includes("distinct"))).toEqual([]);
    await call(t.app, "POST", "/v1/events", { key: a.key, body: { events: views(["cai"], "v2") } });
    await expect
      .poll(async () => (await firings("team")).filter((f) => f.detail.includes("distinct")).map((f) => f.detail), {
        timeout: 15_000,
      })
      .toEqual(["3 distinct user_id used report.viewed in 7 days (threshold 3)"]);
  });

  it("are invisible to and not removable by another tenant", async () => {
    const rule = (await call(t.app, "GET", "/v1/value-moments", { key: a.key })).body.data[0];
    expect((await call(t.app, "GET", "/v1/value-moments", { key: b.key })).body.data).toEqual([]);
    expectProblem(await call(t.app, "DELETE", `/v1/value-moments/${rule.id}`, { key: b.key }), 404, "not_found");
    expect((await call(t.app, "DELETE", `/v1/value-moments/${rule.id}`, { key: a.key })).status).toBe(204);
  });
});
