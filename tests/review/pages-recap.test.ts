import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, hiddenField } from "../support/browser.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey, makeUser } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;
let reviewer: Browser;
let second: Browser;

async function waitForState(id: string, state: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const recap = await call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key });
    if (recap.body.state === state) return recap;
    if (Date.now() > deadline) throw new Error(`recap ${id} stayed ${recap.body.state}, wanted ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function pending(account: string) {
  const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account } });
  return (await waitForState(created.body.id, "pending_review")).body;
}

const recapJson = async (id: string) => (await call(t.app, "GET", `/v1/recaps/${id}`, { key: a.key })).body;
const history = async (id: string) =>
  (await call(t.app, "GET", `/v1/recaps/${id}/history`, { key: a.key })).body.data as { action: string }[];

/** Submits a form of the recap screen (as rendered in `html`) with its CSRF token and version. */
function submit(browser: Browser, html: string, id: string, action: string, fields: Record<string, string>) {
  const form = { _csrf: hiddenField(html, "_csrf"), version: hiddenField(html, "version"), ...fields };
  return browser.post(`/review/recaps/${id}/${action}`, form);
}

beforeAll(async () => {
  t = await createTestContext();
  a = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
  reviewer = new Browser(t.app);
  await reviewer.signIn((await makeUser(t.deps, a.tenant.id)).email);
  second = new Browser(t.app);
  await second.signIn((await makeUser(t.deps, a.tenant.id)).email);
}, 120_000);
afterAll(() => t.close());

describe("the recap screen", () => {
  it("shows the preview, every copy field, numbers tied to their facts, facts with provenance, history and actions", async () => {
    const recap = await pending("harbor-labs");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`src="/review/recaps/${recap.id}/preview/linkedin?v=${recap.version}"`);
    for (const name of ["headline", "subheadline", "highlights.0.text", "linkedinPost", "callToAction", "imageAlt"])
      expect(page.text).toContain(`name="${name}"`);
    expect(page.text).toContain(`<input type="hidden" name="version" value="${recap.version}"/>`);
    expect(page.text).toMatch(/<mark class="num" title="Matches [^"]+" data-fact="[^"]+">/);
    expect(page.text).toContain(`${recap.copy.linkedinPost.length}</span> / 700 characters`);
    expect(page.text).toContain("Facts and where they come from");
    expect(page.text).toContain("draft completed");
    expect(page.text).toContain(">Approve</button>");
    expect(page.text).toContain("Send back for a redraft");
    expect(page.text).toContain('src="/review/assets/review.js"');
    const script = await reviewer.get("/review/assets/review.js");
    expect(script.headers.get("content-type")).toContain("text/javascript");
  });

  it("saves an edit (303), marks an invented number in red with its reason, and blocks plain approval", async () => {
    const recap = await pending("kide-analytics");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    const saved = await submit(reviewer, page.text, recap.id, "copy", {
      subheadline: "Ylös 999 % viime neljänneksestä.",
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/review/recaps/${recap.id}?done=saved`);
    const after = await reviewer.get(saved.location ?? "");
    expect(after.text).toContain("Copy saved.");
    expect(after.text).toMatch(/<mark class="num bad"[^>]*>✗ 999/);
    expect(after.text).toContain("Approve with override");
    expect((await recapJson(recap.id)).flagged).toBe(true);
    // The override needs a reason; with one, it approves and the history keeps it.
    const noReason = await submit(reviewer, after.text, recap.id, "approve", { overrideReason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toMatch(/id="action-overrideReason-error">Say why/);
    const approved = await submit(reviewer, after.text, recap.id, "approve", { overrideReason: "from their report" });
    expect(approved.status).toBe(303);
    expect((await recapJson(recap.id)).state).toBe("approved");
    expect((await history(recap.id)).at(-1)).toMatchObject({ action: "approve" });
  });

  it("records nothing when the form is submitted unchanged", async () => {
    const recap = await pending("team-5");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    const same = await submit(reviewer, page.text, recap.id, "copy", { headline: recap.copy.headline });
    expect(same.location).toBe(`/review/recaps/${recap.id}?done=unchanged`);
    expect((await recapJson(recap.id)).version).toBe(recap.version);
  });

  it("re-renders invalid copy with the message beside the field (400) and keeps what was typed", async () => {
    const recap = await pending("team-6");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    const long = "x".repeat(61);
    const response = await submit(reviewer, page.text, recap.id, "copy", { headline: long });
    expect(response.status).toBe(400);
    expect(response.text).toContain("Nothing was saved: please correct the marked fields.");
    expect(response.text).toMatch(/id="copy-headline-error">[^<]*60/);
    expect(response.text).toContain(`value="${long}"`);
    expect(response.text).toMatch(/aria-invalid="true"[^>]*|id="copy-headline"[^>]*aria-invalid="true"/);
    expect((await recapJson(recap.id)).version).toBe(recap.version);
  });

  it("shows a stale page the conflict message (409) instead of overwriting the other reviewer's change", async () => {
    const recap = await pending("team-7");
    const stale = await second.get(`/review/recaps/${recap.id}`);
    const fresh = await reviewer.get(`/review/recaps/${recap.id}`);
    expect((await submit(reviewer, fresh.text, recap.id, "copy", { callToAction: "Try it now" })).status).toBe(303);
    const lost = await submit(second, stale.text, recap.id, "copy", { callToAction: "Mine instead" });
    expect(lost.status).toBe(409);
    expect(lost.text).toContain("Someone else changed this recap since you opened it — reload to see their changes.");
    expect(lost.text).toContain('value="Mine instead"');
    expect(lost.text).toContain(`<input type="hidden" name="version" value="${recap.version}"/>`);
    const rejected = await submit(second, stale.text, recap.id, "reject", { reason: "too late" });
    expect(rejected.status).toBe(409);
    const now = await recapJson(recap.id);
    expect(now.copy.callToAction).toBe("Try it now");
    expect(now.state).toBe("pending_review");
  });

  it("asks for a reason to reject (400 beside the field), rejects with one, and offers no decisions after", async () => {
    const recap = await pending("team-9");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    const empty = await submit(reviewer, page.text, recap.id, "reject", { reason: "" });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/id="action-reason-error">is required/);
    const done = await submit(reviewer, page.text, recap.id, "reject", { reason: "Wrong segment" });
    expect(done.status).toBe(303);
    const after = await reviewer.get(done.location ?? "");
    expect(after.text).toContain("Rejected. The reason is in the history.");
    expect(after.text).toContain("Wrong segment");
    expect(after.text).not.toContain(">Reject</button>");
  });

  it("sends a draft back with instructions, which the history keeps", async () => {
    const recap = await pending("team-11");
    const page = await reviewer.get(`/review/recaps/${recap.id}`);
    const empty = await submit(reviewer, page.text, recap.id, "redraft", { instructions: "  " });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/id="action-instructions-error">/);
    const sent = await submit(reviewer, page.text, recap.id, "redraft", { instructions: "Lead with the ROI." });
    expect(sent.status).toBe(303);
    expect((await history(recap.id)).map((event) => event.action)).toContain("request_redraft");
  });
});
