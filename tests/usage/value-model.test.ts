import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  b = await makeTenantWithKey(t.deps);
});
afterAll(() => t.close());

const hoursSaved = {
  label: "Manual work automated",
  event: "automation.run",
  outcomeKind: "time_saved",
  unit: "minutes",
  aggregation: "count",
  multiplier: 3,
  hourlyRate: 45,
};

describe("the value model", () => {
  it("stores a metric with defaults and replaces it on a second PUT", async () => {
    const created = await call(t.app, "PUT", "/v1/value-model/metrics/hours_saved", { key: a.key, body: hoursSaved });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ key: "hours_saved", multiplier: 3, higherIsBetter: true, priority: 100 });
    const replaced = await call(t.app, "PUT", "/v1/value-model/metrics/hours_saved", {
      key: a.key,
      body: { ...hoursSaved, multiplier: 4, priority: 5 },
    });
    expect(replaced.body).toMatchObject({ multiplier: 4, priority: 5 });
    const model = await call(t.app, "GET", "/v1/value-model", { key: a.key });
    expect(model.body.metrics.map((metric: { key: string }) => metric.key)).toEqual(["hours_saved"]);
  });

  it("stores the metric's labels per language, drops the ones left out and refuses an unknown language", async () => {
    const labels = { fi: "Automatisoitu manuaalinen työ", de: "Automatisierte manuelle Arbeit" };
    const saved = await call(t.app, "PUT", "/v1/value-model/metrics/hours_saved", {
      key: a.key,
      body: { ...hoursSaved, labels },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.labels).toEqual(labels);
    const model = await call(t.app, "GET", "/v1/value-model", { key: a.key });
    expect(model.body.metrics[0].labels).toEqual(labels);
    // A metric saved without labels reads as {}.
    const plain = await call(t.app, "PUT", "/v1/value-model/metrics/plain_runs", { key: a.key, body: hoursSaved });
    expect(plain.body.labels).toEqual({});
    expect((await call(t.app, "DELETE", "/v1/value-model/metrics/plain_runs", { key: a.key })).status).toBe(204);
    for (const bad of [{ xx: "Nope" }, { fi: "" }, { fi: "x".repeat(121) }]) {
      const problem = expectProblem(
        await call(t.app, "PUT", "/v1/value-model/metrics/hours_saved", {
          key: a.key,
          body: { ...hoursSaved, labels: bad },
        }),
        400,
        "validation_failed",
      );
      expect((problem.errors as { path: string }[]).map((error) => error.path).join(" ")).toContain("labels");
    }
    const unchanged = await call(t.app, "GET", "/v1/value-model", { key: a.key });
    expect(unchanged.body.metrics[0].labels).toEqual(labels);
    // Put back as the other tests expect it.
    await call(t.app, "PUT", "/v1/value-model/metrics/hours_saved", { key: a.key, body: hoursSaved });
  });

  it("refuses inconsistent definitions, naming the field", async () => {
    const cases: [string, object, string][] = [
      ["Bad-Key", hoursSaved, "param.key"],
      ["users", { ...hoursSaved, aggregation: "distinct" }, "distinctProperty"],
      ["runs", { ...hoursSaved, unit: "count", hourlyRate: 45 }, "hourlyRate"],
      ["runs", { ...hoursSaved, multiplier: 0 }, "multiplier"],
      ["runs", { ...hoursSaved, outcomeKind: "vibes" }, "outcomeKind"],
      ["runs", { ...hoursSaved, colour: "red" }, "colour"],
    ];
    for (const [key, body, path] of cases) {
      const problem = expectProblem(
        await call(t.app, "PUT", `/v1/value-model/metrics/${key}`, { key: a.key, body }),
        400,
        "validation_failed",
      );
      expect((problem.errors as { path: string }[]).map((error) => error.path)).toContain(path);
    }
  });

  it("queues a rollup rebuild when a distinct metric is saved", async () => {
    await call(t.app, "PUT", "/v1/value-model/metrics/active_users", {
      key: a.key,
      body: {
        ...hoursSaved,
        event: "user.active",
        outcomeKind: "adoption",
        unit: "count",
        aggregation: "distinct",
        distinctProperty: "user_id",
        hourlyRate: null,
      },
    });
    const jobs = await t.deps.sql`select data from pgboss.job where name = 'usage.rebuild-rollups'`;
    expect(jobs.map((job) => job.data.tenantId)).toContain(a.tenant.id);
  });

  it("is the tenant's own: another tenant neither sees nor deletes it", async () => {
    expect((await call(t.app, "GET", "/v1/value-model", { key: b.key })).body.metrics).toEqual([]);
    expectProblem(await call(t.app, "DELETE", "/v1/value-model/metrics/hours_saved", { key: b.key }), 404, "not_found");
    expect((await call(t.app, "DELETE", "/v1/value-model/metrics/hours_saved", { key: a.key })).status).toBe(204);
    expectProblem(await call(t.app, "DELETE", "/v1/value-model/metrics/hours_saved", { key: a.key }), 404, "not_found");
  });

  it("needs the admin scope to change", async () => {
    const reader = await makeTenantWithKey(t.deps, ["recaps:read"]);
    expect((await call(t.app, "GET", "/v1/value-model", { key: reader.key })).status).toBe(200);
    expectProblem(
      await call(t.app, "PUT", "/v1/value-model/metrics/x", { key: reader.key, body: hoursSaved }),
      403,
      "insufficient_scope",
    );
  });
});
