import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastFullQuarter, quarterLabel } from "../../src/usage/period.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
const lastQuarter = quarterLabel(lastFullQuarter(new Date(), "Europe/Helsinki"));

beforeAll(async () => {
  t = await createTestContext({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" } });
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
});
afterAll(() => t.close());

describe("POST /v1/recaps", () => {
  it("computes the digest, stores the recap in drafting and answers 202 with a status URL", async () => {
    const response = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "kide-analytics" } });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ period: lastQuarter, kind: "quarterly", locale: "fi", state: "drafting" });
    expect(response.headers.get("location")).toBe(`/v1/recaps/${response.body.id}`);
    const digest = response.body.digest;
    expect(digest.status).toBe("ok");
    expect(digest.headline).toHaveLength(3);
    expect(digest.period.timeZone).toBe("Europe/Helsinki");
    expect(digest.chart.points.length).toBeGreaterThanOrEqual(13);
    expect(digest.peerGroup.size).toBe(30);
  });

  it("answers a retry with the same Idempotency-Key with the same recap, and a second request for the quarter with 409", async () => {
    const request = { key: a.key, body: { account: "nordlicht-gmbh" }, headers: { "idempotency-key": "gen-1" } };
    const first = await call(t.app, "POST", "/v1/recaps", request);
    const retry = await call(t.app, "POST", "/v1/recaps", request);
    expect(first.status).toBe(202);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.id).toBe(first.body.id);
    const again = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "nordlicht-gmbh" } });
    const problem = expectProblem(again, 409, "conflict");
    expect(problem.recapId).toBe(first.body.id);
  });

  it("creates one quarterly recap when ten requests race for the same account and quarter", async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "team-7" } })),
    );
    expect(responses.filter((response) => response.status === 202)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409)).toHaveLength(9);
  });

  it("hands the recap to review once the draft job has run", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: { account: "fjord-ab", locale: "sv" },
    });
    await expect
      .poll(async () => (await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: a.key })).body.state, {
        timeout: 15_000,
      })
      .toBe("pending_review");
    const fetched = await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: a.key });
    expect(fetched.headers.get("etag")).toBe(`"${fetched.body.version}"`);
    expect(fetched.body.locale).toBe("sv");
  });

  it("answers 422 insufficient_data for an account with too little usage, and stores nothing", async () => {
    await call(t.app, "PUT", "/v1/accounts/quiet", { key: a.key, body: { name: "Quiet Ltd", segment: "growth" } });
    const response = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "quiet" } });
    const problem = expectProblem(response, 422, "insufficient_data");
    expect(problem.reasons).toEqual(expect.arrayContaining(["fewer than 20 events in the period"]));
    const list = await call(t.app, "GET", "/v1/recaps?account=quiet", { key: a.key });
    expect(list.body.data).toEqual([]);
  });

  it("uses totals sent inline by a backend instead of event aggregates", async () => {
    const response = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: {
        account: "quiet",
        kind: "milestone",
        metrics: [{ key: "hours_saved", value: 1284 * 60, previousValue: 980 * 60 }],
      },
    });
    expect(response.status).toBe(202);
    const fact = response.body.digest.facts.find((f: { id: string }) => f.id === "metric:hours_saved");
    expect(fact).toMatchObject({ value: 1284, previousValue: 980, changePercent: 31, unit: "hours" });
    expect(fact.provenance.source).toBe("inline");
  });

  it("refuses bad input with a precise problem and changes nothing", async () => {
    const before = (await call(t.app, "GET", "/v1/recaps?limit=100", { key: a.key })).body.data.length;
    const cases: [unknown, number, string, string][] = [
      [{ account: "nobody" }, 400, "validation_failed", "account"],
      [{ account: "harbor-labs", period: "2026-Q5" }, 400, "validation_failed", "period"],
      [{ account: "harbor-labs", period: "2999-Q1" }, 400, "validation_failed", "period"],
      [{ account: "harbor-labs", locale: "xx" }, 400, "validation_failed", "locale"],
      [{ account: "harbor-labs", kind: "yearly" }, 400, "validation_failed", "kind"],
      [
        { account: "harbor-labs", metrics: [{ key: "unknown_metric", value: 1 }] },
        400,
        "validation_failed",
        "metrics[0].key",
      ],
      [
        { account: "harbor-labs", metrics: [{ key: "hours_saved", value: -1 }] },
        400,
        "validation_failed",
        "metrics[0].value",
      ],
      [{ account: "harbor-labs", extra: true }, 400, "validation_failed", "extra"],
    ];
    for (const [body, status, code, path] of cases) {
      const problem = expectProblem(await call(t.app, "POST", "/v1/recaps", { key: a.key, body }), status, code);
      expect((problem.errors as { path: string }[]).map((error) => error.path)).toContain(path);
    }
    expect((await call(t.app, "GET", "/v1/recaps?limit=100", { key: a.key })).body.data.length).toBe(before);
  });

  it("refuses a quarter that is not over yet", async () => {
    const { quarterContaining } = await import("../../src/usage/period.js");
    const current = quarterLabel(quarterContaining(new Date(), "Europe/London"));
    const response = await call(t.app, "POST", "/v1/recaps", {
      key: a.key,
      body: { account: "harbor-labs", period: current },
    });
    expect((expectProblem(response, 400, "validation_failed").errors as { message: string }[])[0]?.message).toContain(
      "not over",
    );
  });

  it("answers 409 when the tenant has no value model yet", async () => {
    await call(t.app, "PUT", "/v1/accounts/solo", { key: b.key, body: { name: "Solo" } });
    const response = await call(t.app, "POST", "/v1/recaps", { key: b.key, body: { account: "solo" } });
    expect(expectProblem(response, 409, "conflict").detail).toContain("value model");
  });
});

describe("reading recaps", () => {
  it("lists newest first, filters and pages with a cursor", async () => {
    const all = await call(t.app, "GET", "/v1/recaps?limit=100", { key: a.key });
    expect(all.body.data.length).toBeGreaterThanOrEqual(4);
    const first = await call(t.app, "GET", "/v1/recaps?limit=2", { key: a.key });
    const second = await call(t.app, "GET", `/v1/recaps?limit=2&cursor=${first.body.next}`, { key: a.key });
    const ids = [...first.body.data, ...second.body.data].map((recap: { id: string }) => recap.id);
    expect(ids).toEqual(all.body.data.slice(0, 4).map((recap: { id: string }) => recap.id));
    const milestones = await call(t.app, "GET", "/v1/recaps?kind=milestone", { key: a.key });
    expect(milestones.body.data.every((recap: { kind: string }) => recap.kind === "milestone")).toBe(true);
    expectProblem(await call(t.app, "GET", "/v1/recaps?cursor=garbage", { key: a.key }), 400, "validation_failed");
  });

  it("keeps another tenant out", async () => {
    const mine = (await call(t.app, "GET", "/v1/recaps?limit=1", { key: a.key })).body.data[0];
    expectProblem(await call(t.app, "GET", `/v1/recaps/${mine.id}`, { key: b.key }), 404, "not_found");
    expect((await call(t.app, "GET", "/v1/recaps", { key: b.key })).body.data).toEqual([]);
    const generated = await call(t.app, "POST", "/v1/recaps", { key: b.key, body: { account: "kide-analytics" } });
    expectProblem(generated, 400, "validation_failed");
  });

  it("needs recaps scopes", async () => {
    const events = await makeTenantWithKey(t.deps, ["events:write"]);
    expectProblem(await call(t.app, "GET", "/v1/recaps", { key: events.key }), 403, "insufficient_scope");
    expectProblem(
      await call(t.app, "POST", "/v1/recaps", { key: events.key, body: { account: "x" } }),
      403,
      "insufficient_scope",
    );
  });
});
