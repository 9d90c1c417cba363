import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { hideNumbersAndWait } from "../support/hidden-numbers.js";
import { type ApiResponse, call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;
let other: Awaited<ReturnType<typeof makeTenantWithKey>>;
let backendKey: string;
let reviewKey: string;

async function waitForState(id: string, state: string) {
  await expect
    .poll(async () => (await call(t.app, "GET", `/v1/recaps/${id}`, { key: tenant.key })).body.state, {
      timeout: 20_000,
    })
    .toBe(state);
  return call(t.app, "GET", `/v1/recaps/${id}`, { key: tenant.key });
}

async function pendingRecap(account: string) {
  const created = await call(t.app, "POST", "/v1/recaps", { key: tenant.key, body: { account } });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return waitForState(created.body.id, "pending_review");
}

function act(path: string, recap: ApiResponse, body: unknown, key = reviewKey, method = "POST") {
  return call(t.app, method, path, {
    key,
    body,
    headers: { "if-match": recap.headers.get("etag") ?? "" },
  });
}

beforeAll(async () => {
  t = await createTestContext();
  tenant = await makeTenantWithKey(t.deps);
  other = await makeTenantWithKey(t.deps);
  backendKey = (await makeApiKey(t.deps, tenant.tenant.id, ["recaps:read", "recaps:write"])).key;
  reviewKey = (await makeApiKey(t.deps, tenant.tenant.id, ["review", "recaps:read"])).key;
  await seedDemoUsage(t.deps, tenant.tenant.id);
  await t.startWorkers();
});
afterAll(() => t.close());

describe("editing copy", () => {
  it("needs If-Match (428), refuses a stale one (412), and records the edit with a field diff", async () => {
    const recap = await pendingRecap("harbor-labs");
    const path = `/v1/recaps/${recap.body.id}/copy`;
    const missing = await call(t.app, "PATCH", path, { key: reviewKey, body: { callToAction: "Try it" } });
    expectProblem(missing, 428, "precondition_required");
    const stale = await call(t.app, "PATCH", path, {
      key: reviewKey,
      body: { callToAction: "Try it" },
      headers: { "if-match": `"${recap.body.version - 1}"` },
    });
    expectProblem(stale, 412, "precondition_failed");
    const edited = await act(path, recap, { callToAction: "Try it" }, reviewKey, "PATCH");
    expect(edited.status).toBe(200);
    expect(edited.headers.get("etag")).toBe(`"${recap.body.version + 1}"`);
    expect(edited.body.copy.callToAction).toBe("Try it");
    const history = await call(t.app, "GET", `/v1/recaps/${recap.body.id}/history`, { key: reviewKey });
    const last = history.body.data.at(-1);
    expect(last).toMatchObject({ action: "edit", from: "pending_review", to: "pending_review" });
    expect(last.changes).toEqual([{ field: "copy.callToAction", from: recap.body.copy.callToAction, to: "Try it" }]);
    expect(history.body.data.map((event: { action: string }) => event.action)).toEqual(["draft_completed", "edit"]);
  });

  it("saves an invented number but blocks approval until it is fixed or overridden with a reason", async () => {
    const recap = await pendingRecap("team-10");
    const edited = await act(
      `/v1/recaps/${recap.body.id}/copy`,
      recap,
      { subheadline: "Up 999 % on last quarter." },
      reviewKey,
      "PATCH",
    );
    expect(edited.body.flagged).toBe(true);
    expect(edited.body.factCheck.ok).toBe(false);
    const blocked = await act(`/v1/recaps/${recap.body.id}/approve`, edited, {});
    const problem = expectProblem(blocked, 409, "fact_check_failed");
    expect(problem.detail).toContain("999");
    const approved = await act(`/v1/recaps/${recap.body.id}/approve`, edited, {
      override: { reason: "the customer's own press release says so" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe("approved");
    const history = await call(t.app, "GET", `/v1/recaps/${recap.body.id}/history`, { key: reviewKey });
    expect(history.body.data.at(-1).reason).toBe("fact-check overridden: the customer's own press release says so");
  });

  it("refuses an edit that breaks the schema and changes nothing", async () => {
    const recap = await pendingRecap("team-11");
    const response = await act(
      `/v1/recaps/${recap.body.id}/copy`,
      recap,
      { headline: "x".repeat(61), font: "Comic Sans" },
      reviewKey,
      "PATCH",
    );
    expectProblem(response, 400, "validation_failed");
    const after = await call(t.app, "GET", `/v1/recaps/${recap.body.id}`, { key: reviewKey });
    expect(after.body.version).toBe(recap.body.version);
  });
});

describe("decisions", () => {
  it("rejects with a reason only, and answers 409 for a move the state does not allow", async () => {
    const recap = await pendingRecap("team-12");
    expectProblem(await act(`/v1/recaps/${recap.body.id}/reject`, recap, {}), 400, "validation_failed");
    const rejected = await act(`/v1/recaps/${recap.body.id}/reject`, recap, { reason: "wrong segment" });
    expect(rejected.body).toMatchObject({ state: "rejected", stateReason: "wrong segment" });
    const again = await act(`/v1/recaps/${recap.body.id}/approve`, rejected, {});
    expectProblem(again, 409, "illegal_transition");
  });

  it("sends a draft back to the drafter, which hands it to review again, all on record", async () => {
    const recap = await pendingRecap("team-13");
    const sent = await act(`/v1/recaps/${recap.body.id}/redraft`, recap, { instructions: "Lead with the ROI." });
    expect(sent.status).toBe(200);
    await waitForState(recap.body.id, "pending_review");
    const history = await call(t.app, "GET", `/v1/recaps/${recap.body.id}/history`, { key: reviewKey });
    expect(history.body.data.map((event: { action: string }) => event.action)).toEqual([
      "draft_completed",
      "request_redraft",
      "start_redraft",
      "draft_completed",
    ]);
    expect(history.body.data[1].reason).toBe("Lead with the ROI.");
  });

  it("lets the product backend publish (consent recorded, numbers hidden) and unpublish, but not approve", async () => {
    const recap = await pendingRecap("team-14");
    expectProblem(await act(`/v1/recaps/${recap.body.id}/approve`, recap, {}, backendKey), 403, "insufficient_scope");
    const approved = await act(`/v1/recaps/${recap.body.id}/approve`, recap, {});
    expectProblem(await act(`/v1/recaps/${recap.body.id}/publish`, approved, {}, reviewKey), 403, "insufficient_scope");
    const unknown = await act(
      `/v1/recaps/${recap.body.id}/publish`,
      approved,
      { hiddenFactIds: ["metric:nope"] },
      backendKey,
    );
    expectProblem(unknown, 400, "validation_failed");
    const roi =
      approved.body.digest.facts.find((fact: { id: string }) => fact.id === "roi") ?? approved.body.digest.facts[0];
    const ready = await hideNumbersAndWait(t.app, backendKey, recap.body.id, [roi.id]);
    const published = await act(`/v1/recaps/${recap.body.id}/publish`, ready, { hiddenFactIds: [roi.id] }, backendKey);
    expect(published.body.state).toBe("published");
    const history = await call(t.app, "GET", `/v1/recaps/${recap.body.id}/history`, { key: reviewKey });
    const consent = history.body.data.at(-1);
    expect(consent).toMatchObject({ action: "publish", actor: { type: "backend" } });
    expect(consent.changes.find((change: { field: string }) => change.field === "consent").to).toEqual({
      agreedTo: ready.body.copy,
      hiddenFactIds: [roi.id],
      // No choice made on the customer's page: the look, card size and wording stay as drafted.
      choices: {},
    });
    const down = await act(`/v1/recaps/${recap.body.id}/unpublish`, published, {}, backendKey);
    expect(down.body.state).toBe("unpublished");
  });

  it("lets exactly one of two racing approvals win, 200 times in a row", async () => {
    const recap = await pendingRecap("team-15");
    const id = recap.body.id;
    let wins = 0;
    for (let round = 0; round < 200; round++) {
      const [row] = await t.deps.db
        .update(recaps)
        .set({ state: "pending_review", version: sql`${recaps.version} + 1` })
        .where(eq(recaps.id, id))
        .returning({ version: recaps.version });
      const headers = { "if-match": `"${row?.version}"` };
      const results = await Promise.all(
        [0, 1].map(() => call(t.app, "POST", `/v1/recaps/${id}/approve`, { key: reviewKey, body: {}, headers })),
      );
      const statuses = results.map((result) => result.status).sort();
      expect(statuses, `round ${round}`).toEqual([200, 412]);
      wins++;
    }
    expect(wins).toBe(200);
  }, 120_000);
});

describe("the queue through the API", () => {
  it("bulk-approves clean drafts at the version seen, and leaves flagged, changed and foreign ones alone", async () => {
    const clean = await pendingRecap("team-18");
    const changed = await pendingRecap("team-19");
    const flagged = await pendingRecap("team-20");
    await act(
      `/v1/recaps/${flagged.body.id}/copy`,
      flagged,
      { subheadline: "Up 777 % on last quarter." },
      reviewKey,
      "PATCH",
    );
    const flaggedNow = await call(t.app, "GET", `/v1/recaps/${flagged.body.id}`, { key: reviewKey });
    await act(`/v1/recaps/${changed.body.id}/copy`, changed, { callToAction: "Changed meanwhile" }, reviewKey, "PATCH");
    const foreign = await call(t.app, "POST", "/v1/review/bulk-approve", {
      key: other.key,
      body: { recaps: [{ id: clean.body.id, version: clean.body.version }] },
    });
    expect(foreign.body.results).toEqual([expect.objectContaining({ outcome: "failed", message: "not found" })]);
    const response = await call(t.app, "POST", "/v1/review/bulk-approve", {
      key: reviewKey,
      body: {
        recaps: [
          { id: clean.body.id, version: clean.body.version },
          { id: changed.body.id, version: changed.body.version },
          { id: flagged.body.id, version: flaggedNow.body.version },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.results.map((result: { outcome: string }) => result.outcome)).toEqual([
      "approved",
      "failed",
      "skipped",
    ]);
    const states = await Promise.all(
      [clean, changed, flagged].map(
        async (recap) => (await call(t.app, "GET", `/v1/recaps/${recap.body.id}`, { key: reviewKey })).body.state,
      ),
    );
    expect(states).toEqual(["approved", "pending_review", "pending_review"]);
    expectProblem(
      await call(t.app, "POST", "/v1/review/bulk-approve", { key: backendKey, body: { recaps: [] } }),
      403,
      "insufficient_scope",
    );
  });

  it("filters the queue by age", async () => {
    const all = await call(t.app, "GET", "/v1/recaps?state=pending_review&limit=100", { key: reviewKey });
    expect(all.body.data.length).toBeGreaterThan(0);
    const old = await call(t.app, "GET", "/v1/recaps?state=pending_review&olderThanHours=1", { key: reviewKey });
    expect(old.body.data).toEqual([]);
    const [first] = all.body.data;
    await t.deps.db
      .update(recaps)
      .set({ createdAt: new Date(Date.now() - 3 * 3_600_000) })
      .where(eq(recaps.id, first.id));
    const aged = await call(t.app, "GET", "/v1/recaps?state=pending_review&olderThanHours=2", { key: reviewKey });
    expect(aged.body.data.map((recap: { id: string }) => recap.id)).toEqual([first.id]);
  });
});

describe("tenancy and roles", () => {
  it("hides every review route from another tenant's key", async () => {
    const recap = await pendingRecap("team-16");
    const id = recap.body.id;
    const headers = { "if-match": recap.headers.get("etag") ?? "" };
    for (const [method, path, body] of [
      ["PATCH", `/v1/recaps/${id}/copy`, { callToAction: "x" }],
      ["POST", `/v1/recaps/${id}/approve`, {}],
      ["POST", `/v1/recaps/${id}/reject`, { reason: "x" }],
      ["POST", `/v1/recaps/${id}/redraft`, { instructions: "x" }],
      ["POST", `/v1/recaps/${id}/publish`, {}],
      ["POST", `/v1/recaps/${id}/unpublish`, {}],
      ["GET", `/v1/recaps/${id}/history`, undefined],
    ] as const) {
      const response = await call(t.app, method, path, { key: other.key, body, headers });
      expectProblem(response, 404, "not_found");
    }
    const after = await call(t.app, "GET", `/v1/recaps/${id}`, { key: tenant.key });
    expect(after.body.version).toBe(recap.body.version);
  });

  it("refuses review routes without a key", async () => {
    const recap = await pendingRecap("team-17");
    const response = await t.app.request(`/v1/recaps/${recap.body.id}/approve`, {
      method: "POST",
      headers: { "content-type": "application/json", "if-match": '"1"' },
      body: "{}",
    });
    expect(response.status).toBe(401);
  });
});
