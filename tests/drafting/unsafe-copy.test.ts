import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { type FakeOpenAi, type FakeRequest, openAiTestEnv, startFakeOpenAi } from "../support/fake-openai-server.js";
import { honestCopy } from "../support/honest-copy.js";
import { type ApiResponse, call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/**
 * Under `auto_when_clean` clean copy is approved with no human: a link, a tag or a digit the
 * fact-check cannot read must never count as clean, from the model or from a reviewer.
 */

let t: TestContext;
let openai: FakeOpenAi;
let tenant: Awaited<ReturnType<typeof makeTenantWithKey>>;
let reviewKey: string;

async function generate(account: string): Promise<ApiResponse> {
  const created = await call(t.app, "POST", "/v1/recaps", { key: tenant.key, body: { account } });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await expect
    .poll(async () => (await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: tenant.key })).body.state, {
      timeout: 20_000,
    })
    .not.toBe("drafting");
  return call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: reviewKey });
}

const edit = (recap: ApiResponse, body: unknown) =>
  call(t.app, "PATCH", `/v1/recaps/${recap.body.id}/copy`, {
    key: reviewKey,
    body,
    headers: { "if-match": recap.headers.get("etag") ?? "" },
  });

beforeAll(async () => {
  openai = await startFakeOpenAi();
  t = await createTestContext({ env: openAiTestEnv(openai, "sk-test-unsafe") });
  tenant = await makeTenantWithKey(t.deps);
  reviewKey = (await makeApiKey(t.deps, tenant.tenant.id, ["review", "recaps:read"])).key;
  await seedDemoUsage(t.deps, tenant.tenant.id);
  const policy = await call(t.app, "PATCH", "/v1/tenant", {
    key: tenant.key,
    body: { approvalPolicy: "auto_when_clean" },
  });
  expect(policy.status).toBe(200);
  await t.startWorkers();
});
afterAll(async () => {
  await t.close();
  await openai.close();
});

describe("a model's copy under auto_when_clean", () => {
  it("is approved at once when it is clean (so the cases below fail only for what they add)", async () => {
    openai.reply((request) => ({ json: honestCopy(request) }));
    const recap = await generate("harbor-labs");
    expect(recap.body.state).toBe("approved");
  });

  it.each([
    ["a bare link", "nordlicht-gmbh", "linkedinPost", "Claim yours at evil-example.com/claim", "reads as a link"],
    ["an unclosed tag", "kide-analytics", "imageAlt", "A card <img src=x onerror=alert(1)", "without HTML or tags"],
    ["mathematical digits", "aurora-logistics", "subheadline", "We saved 𝟗𝟗𝟗𝟗 hours.", "digits other than 0–9"],
  ])("with %s is not approved: the template copy goes to a reviewer, flagged", async (_, account, field, text, why) => {
    openai.always((request: FakeRequest) => ({ json: { ...honestCopy(request), [field]: text } }));
    const recap = await generate(account);
    openai.always({ status: 500 });
    expect(recap.body.state).toBe("pending_review");
    expect(recap.body.flagged).toBe(true);
    expect(recap.body.drafting).toMatchObject({ drafter: "template", fallbackFrom: "openai", attempts: 3 });
    expect(recap.body.drafting.flags).toHaveLength(1);
    // Every try was sent back with the reason, naming the field.
    const problems: string[] = recap.body.drafting.problems;
    expect(problems.filter((problem) => problem.includes(field) && problem.includes(why))).toHaveLength(3);
    expect(JSON.stringify(recap.body.copy)).not.toContain(text);
  });
});

describe("a reviewer's edit", () => {
  it("with t.co/abc is refused with a problem naming the field and the link, and changes nothing", async () => {
    openai.reply({ status: 500 });
    const recap = await generate("team-12");
    expect(recap.body.state).toBe("pending_review");
    const response = await edit(recap, { linkedinPost: "Our quarter, in numbers: more at t.co/abc" });
    const problem = expectProblem(response, 400, "validation_failed");
    expect(problem.errors).toEqual([
      { path: "linkedinPost", message: expect.stringMatching(/^"t\.co\/abc" reads as a link/) },
    ]);
    const after = await call(t.app, "GET", `/v1/recaps/${recap.body.id}`, { key: reviewKey });
    expect(after.body.version).toBe(recap.body.version);
    expect(after.body.copy.linkedinPost).toBe(recap.body.copy.linkedinPost);
  });

  it("with an unclosed tag is refused by the copy schema", async () => {
    openai.reply({ status: 500 });
    const recap = await generate("team-13");
    const response = await edit(recap, { headline: "Our quarter <img src=x onerror=alert(1)" });
    const problem = expectProblem(response, 400, "validation_failed");
    expect(problem.errors).toEqual([{ path: "headline", message: "must be plain text, without HTML or tags" }]);
  });

  it("with 𝟗𝟗𝟗𝟗 is flagged like any wrong number, and approval is refused naming it", async () => {
    openai.reply({ status: 500 });
    const recap = await generate("team-14");
    const edited = await edit(recap, { subheadline: "We saved 𝟗𝟗𝟗𝟗 hours." });
    expect(edited.status).toBe(200);
    expect(edited.body.flagged).toBe(true);
    const approve = await call(t.app, "POST", `/v1/recaps/${recap.body.id}/approve`, {
      key: reviewKey,
      body: {},
      headers: { "if-match": edited.headers.get("etag") ?? "" },
    });
    const problem = expectProblem(approve, 409, "fact_check_failed");
    expect(problem.detail).toContain('subheadline: "𝟗𝟗𝟗𝟗 hours" uses digits other than 0–9');
  });
});
