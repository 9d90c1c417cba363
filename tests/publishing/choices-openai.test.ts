import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draftRecap } from "../../src/recaps/draft.job.js";
import { Browser, hiddenField } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { type FakeOpenAi, openAiTestEnv, startFakeOpenAi } from "../support/fake-openai-server.js";
import { honestCopy } from "../support/honest-copy.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

/**
 * The customer's choice of wordings when the configured model drafts, with the real openai client
 * against the tests' OpenAI-compatible server: the model's alternatives reach the customer's page
 * only when every number in them is the data's.
 */

let t: TestContext;
let openai: FakeOpenAi;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  t = await createTestContext({ env: openAiTestEnv(openai, "sk-test-choices") });
  a = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
}, 120_000);
afterAll(async () => {
  await t.close();
  await openai.close();
});

describe("wordings drafted by the configured model", () => {
  it("offers the model's alternative whose numbers check out, never the one with an invented number, and lets the customer take it", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account: "harbor-labs" } });
    openai.reply((request) => {
      const honest = honestCopy(request);
      const lead = honest.headline.split(" in ")[0] ?? "";
      return {
        json: {
          ...honest,
          alternatives: [
            {
              headline: `Our number of the quarter: ${lead}`,
              linkedinPost: `One number says it all: ${lead}. #teamwork`,
            },
            { headline: "We saved 12,345 hours", linkedinPost: "A record: 12,345 hours saved. #teamwork" },
          ],
        },
      };
    });
    await draftRecap(t.deps, { recapId: created.body.id, tenantId: a.tenant.id });
    const drafted = await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: a.key });
    expect(drafted.body.drafting).toMatchObject({ drafter: "openai", fallbackFrom: null });
    const offered = drafted.body.copyAlternatives as { headline: string; linkedinPost: string }[];
    expect(offered[0]?.headline).toMatch(/^Our number of the quarter: /);
    expect(JSON.stringify(offered)).not.toContain("12,345");
    // The schema the model was given asks for the alternatives in the same reply.
    const schema = openai.requests.at(-1)?.body.response_format?.json_schema?.schema as { required: string[] };
    expect(schema.required).toContain("alternatives");

    const approved = await call(t.app, "POST", `/v1/recaps/${created.body.id}/approve`, {
      key: a.key,
      body: {},
      headers: { "if-match": drafted.headers.get("etag") ?? "" },
    });
    expect(approved.body.state).toBe("approved");
    const link = await call(t.app, "POST", `/v1/recaps/${created.body.id}/preview-link`, { key: a.key, body: {} });
    const url = new URL(link.body.url).pathname;
    const customer = new Browser(t.app);
    const page = await customer.get(url);
    expect(page.text).toContain(offered[0]!.headline);
    expect(page.text).not.toContain("12,345");
    const chosen = await customer.post(`${url}/wording`, { version: hiddenField(page.text, "version"), wording: "0" });
    expect(chosen.status).toBe(303);
    const after = await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: a.key });
    expect(after.body.copy.headline).toBe(offered[0]!.headline);
    expect(after.body.copyAlternatives[0].headline).toBe(drafted.body.copy.headline);
    expect(after.body.customerChoices).toEqual({ wording: "alternative" });
  });
});
