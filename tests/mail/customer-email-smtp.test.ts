import { eq } from "drizzle-orm";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerEmailJob } from "../../src/mail/customer-email.job.js";
import { customerEmails } from "../../src/mail/mail.schema.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { type SmtpReceiver, startSmtpReceiver } from "./smtp-receiver.js";
import { approvedRecap, emailJobsDone, setContact } from "./support.js";

/** Approval tells the end customer, over a real SMTP connection, in the recap's language. */
let t: TestContext;
let smtp: SmtpReceiver;
let a: Awaited<ReturnType<typeof makeTenantWithKey>>;

const CONSENT = { consentedAt: "2026-05-04T09:30:00Z", source: "signup form" };
const to = (address: string) =>
  smtp.messages.filter((message) => message.to && JSON.stringify(message.to).includes(address));

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await createTestContext({ env: { SMTP_URL: smtp.url, MAIL_FROM: "Recaps <recaps@example.test>" } });
  a = await makeTenantWithKey(t.deps);
  await seedDemoUsage(t.deps, a.tenant.id);
  await t.startWorkers();
}, 120_000);
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe("the e-mail to the end customer", () => {
  it("sends one Finnish message with a working preview link and the LinkedIn card, even when approval is repeated and the job runs twice", async () => {
    const put = await setContact(t, a.key, "kide-analytics", {
      contactEmail: "anna@kide.test",
      contactConsent: CONSENT,
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.contactConsent).toEqual({ consentedAt: "2026-05-04T09:30:00.000Z", source: "signup form" });
    const approved = await approvedRecap(t, a.key, "kide-analytics");
    await expect.poll(() => to("anna@kide.test").length, { timeout: 60_000 }).toBe(1);

    // A second approval is refused; the job run again (a retry) finds the message already sent.
    const again = await call(t.app, "POST", `/v1/recaps/${approved.body.id}/approve`, {
      key: a.key,
      body: {},
      headers: { "if-match": approved.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(409);
    await emailJobsDone(t, approved.body.id);
    const rerun = () =>
      customerEmailJob(t.deps).handle(
        { tenantId: a.tenant.id, recapId: approved.body.id, version: approved.body.version },
        undefined as never,
      );
    await Promise.all([rerun(), rerun()]);
    expect(to("anna@kide.test")).toHaveLength(1);

    const [message] = to("anna@kide.test");
    expect(message?.subject).toBe("Neljännesvuosikatsauksenne on valmis – katso ja julkaise");
    expect(message?.from?.value).toEqual([{ name: "Recaps", address: "recaps@example.test" }]);
    const link = /http:\/\/localhost:3000(\/p\/[A-Za-z0-9_-]{43})/.exec(message?.text ?? "");
    expect(link, message?.text).not.toBeNull();
    expect(message?.html).toContain(link?.[1]);
    const preview = await t.app.request(link?.[1] ?? "");
    expect(preview.status).toBe(200);

    const card = message?.attachments.find((attachment) => attachment.contentType === "image/png");
    expect(card).toBeDefined();
    const png = PNG.sync.read(card?.content as Buffer);
    expect([png.width, png.height]).toEqual([1200, 627]);

    const rows = await t.deps.db.select().from(customerEmails).where(eq(customerEmails.recapId, approved.body.id));
    expect(rows.map((row) => [row.toAddress, row.transport, row.locale])).toEqual([["anna@kide.test", "smtp", "fi"]]);
  }, 180_000);

  it("writes to a German account in German", async () => {
    await setContact(t, a.key, "nordlicht-gmbh", { contactEmail: "jonas@nordlicht.test", contactConsent: CONSENT });
    await approvedRecap(t, a.key, "nordlicht-gmbh");
    await expect.poll(() => to("jonas@nordlicht.test").length, { timeout: 60_000 }).toBe(1);
    const [message] = to("jonas@nordlicht.test");
    expect(message?.subject).toBe("Ihr Quartalsrückblick ist fertig – ansehen und veröffentlichen");
    expect(message?.text).toContain("Ansehen und veröffentlichen: http://localhost:3000/p/");
  }, 180_000);

  it("sends nothing to an account whose contact did not consent", async () => {
    const put = await setContact(t, a.key, "harbor-labs", { contactEmail: "sam@harbor.test", contactConsent: null });
    expect(put.status, put.text).toBe(200);
    const approved = await approvedRecap(t, a.key, "harbor-labs");
    await emailJobsDone(t, approved.body.id);
    expect(to("sam@harbor.test")).toHaveLength(0);
    const rows = await t.deps.db.select().from(customerEmails).where(eq(customerEmails.recapId, approved.body.id));
    expect(rows).toHaveLength(0);
  }, 180_000);
});

describe("the contact fields on the accounts API", () => {
  it("refuses an invalid e-mail address with a problem and leaves the account as it was", async () => {
    const before = await call(t.app, "GET", "/v1/accounts/fjord-ab", { key: a.key });
    const put = await setContact(t, a.key, "fjord-ab", { contactEmail: "not an address", contactConsent: CONSENT });
    const problem = expectProblem(put, 400, "validation_failed");
    expect(JSON.stringify(problem.errors)).toContain("contactEmail");
    const after = await call(t.app, "GET", "/v1/accounts/fjord-ab", { key: a.key });
    expect(after.body).toEqual(before.body);
  });

  it("refuses consent without an address", async () => {
    const before = await call(t.app, "GET", "/v1/accounts/fjord-ab", { key: a.key });
    const put = await setContact(t, a.key, "fjord-ab", { contactEmail: null, contactConsent: CONSENT });
    expectProblem(put, 400, "validation_failed");
    expect(JSON.stringify(put.body.errors)).toContain("contactConsent");
    expect((await call(t.app, "GET", "/v1/accounts/fjord-ab", { key: a.key })).body).toEqual(before.body);
  });
});
