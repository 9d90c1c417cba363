import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recapRenderJob } from "../../src/assets/render.job.js";
import { formatFact } from "../../src/i18n/format.js";
import { draftRecap } from "../../src/recaps/draft.job.js";
import { redraftWithoutHidden } from "../../src/recaps/hidden-redraft.job.js";
import type { Fact } from "../../src/usage/digest.types.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { type FakeOpenAi, messagesOf, openAiTestEnv, startFakeOpenAi } from "../support/fake-openai-server.js";
import { honestCopy } from "../support/honest-copy.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/**
 * The re-draft after the customer hides a number, with the real openai client against the tests'
 * OpenAI-compatible server: the model is never told the hidden number, and a model that writes it
 * anyway is caught by the fact-check, its copy thrown away and the recap flagged.
 */

let t: TestContext;
let openai: FakeOpenAi;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;

const recap = (id: string) => call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key });
const render = (id: string) =>
  recapRenderJob(t.deps).handle({ recapId: id, tenantId: a.tenant.id }, { id: "by-hand", retryCount: 0 } as never);

beforeAll(async () => {
  openai = await startFakeOpenAi();
  t = await createTestContext({ env: openAiTestEnv(openai, "sk-test-hiding") });
  a = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
}, 120_000);
afterAll(async () => {
  await t.close();
  await openai.close();
});

describe("hiding a number with an OpenAI-compatible drafter", () => {
  it("flags a model that still writes the hidden number: its text is dropped and nothing is published before a reviewer looks", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "nordlicht-gmbh" } });
    openai.reply((request) => ({ json: honestCopy(request) }));
    await draftRecap(t.deps, { recapId: created.body.id, tenantId: a.tenant.id });
    const drafted = await recap(created.body.id);
    expect(drafted.body).toMatchObject({ state: "pending_review", flagged: false });
    const approved = await call(t.app, "POST", `/v1/recaps/${drafted.body.id}/approve`, {
      key: a.key,
      body: {},
      headers: { "if-match": drafted.headers.get("etag") ?? "" },
    });
    const id = approved.body.id as string;
    const hero = approved.body.digest.facts.find((fact: Fact) => fact.id === approved.body.digest.headline[0]) as Fact;
    const value = formatFact(hero, "de", approved.body.digest.currency).value;
    expect(approved.body.copy.headline).toContain(value);

    const hidden = await call(t.app, "PUT", `/v1/recaps/${id}/hidden-facts`, {
      key: a.key,
      body: { hiddenFactIds: [hero.id] },
      headers: { "if-match": approved.headers.get("etag") ?? "" },
    });
    expect(hidden.status).toBe(200);
    const asked = openai.requests.length;
    // A model that remembers the number from somewhere and writes it into the post, every time.
    openai.always((request) => ({ json: { ...honestCopy(request), linkedinPost: `Unser Quartal: ${value}. #Q3` } }));
    await redraftWithoutHidden(t.deps, { recapId: id, tenantId: a.tenant.id });

    const requests = openai.requests.slice(asked);
    expect(requests.length).toBe(1 + t.deps.config.draftFactCheckRetries);
    // The model is never told the hidden fact; a retry quotes only the model's own words back.
    const first = messagesOf(requests[0]!).user.join("\n");
    expect(first).not.toContain(value);
    for (const request of requests) expect(messagesOf(request).user.join("\n")).not.toContain(hero.id);
    expect(messagesOf(requests[1]!).user.join("\n")).toContain("chose to hide");

    const after = (await recap(id)).body;
    expect(after).toMatchObject({ state: "pending_review", flagged: true, copyUpdating: false });
    expect(after.drafting).toMatchObject({ drafter: "template", fallbackFrom: "openai" });
    expect(after.drafting.flags).toContain("fact_check_failed");
    expect(after.drafting.problems.join(" ")).toContain("chose to hide");
    const texts = JSON.stringify(after.copy);
    expect(texts).not.toContain("Unser Quartal");
    expect(texts).not.toContain(value);
    expect(after.factCheck.ok).toBe(true);

    // Flagged, so not publishable until a reviewer has looked at the stand-in text.
    const refused = await call(t.app, "POST", `/v1/recaps/${id}/publish`, {
      key: a.key,
      body: { hiddenFactIds: [hero.id] },
      headers: { "if-match": `"${after.version}"` },
    });
    expectProblem(refused, 409, "illegal_transition");
    const reviewed = await call(t.app, "POST", `/v1/recaps/${id}/approve`, {
      key: a.key,
      body: {},
      headers: { "if-match": `"${after.version}"` },
    });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    await render(id);
    const published = await call(t.app, "POST", `/v1/recaps/${id}/publish`, {
      key: a.key,
      body: { hiddenFactIds: [hero.id] },
      headers: { "if-match": reviewed.headers.get("etag") ?? "" },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(JSON.stringify(published.body.copy)).not.toContain(value);
  });
});
