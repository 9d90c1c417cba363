import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVER_WEBHOOK_JOB } from "../../src/webhooks/event-types.js";
import { createLink, publishedRecap, type SharingTenant, sharingTenant } from "../sharing/sharing-support.js";
import { makeApiKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { jobsSettled } from "../support/jobs.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { type Receiver, startReceiver } from "../webhooks/receiver.js";

let t: TestContext;
let receiver: Receiver;
let owner: SharingTenant;
let other: SharingTenant;
let recap: Awaited<ReturnType<typeof publishedRecap>>;
let link: Awaited<ReturnType<typeof createLink>>;
let foreignLink: Awaited<ReturnType<typeof createLink>>;

const post = (key: string, body: unknown) => call(t.app, "POST", "/v1/conversions", { key, body });

beforeAll(async () => {
  t = await createTestContext({
    env: { WEBHOOKS_ALLOW_INSECURE: "true", PUBLIC_BASE_URL: "https://recaps.example.com" },
  });
  t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
  receiver = await startReceiver();
  owner = await sharingTenant(t);
  other = await sharingTenant(t);
  await t.startWorkers();
  recap = await publishedRecap(t, owner, "team-20");
  link = await createLink(t, owner.backendKey, recap.id, "linkedin");
  const otherRecap = await publishedRecap(t, other, "team-21");
  foreignLink = await createLink(t, other.backendKey, otherRecap.id, "email");
}, 120_000);
afterAll(async () => {
  await t.close();
  await receiver.close();
});

describe("POST /v1/conversions", () => {
  it("records a conversion (201) and answers a resend with the stored one (200)", async () => {
    const body = {
      ref: link.code,
      type: "paid",
      externalUserId: "user-paid-1",
      value: 49.9,
      currency: "EUR",
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
    };
    const first = await post(owner.key, body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      ref: link.code,
      recapId: recap.id,
      type: "paid",
      externalUserId: "user-paid-1",
      value: 49.9,
      currency: "EUR",
      occurredAt: new Date(body.occurredAt).toISOString(),
    });
    const again = await post(owner.key, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // Without occurredAt the resend is still the same conversion.
    const { occurredAt: _omitted, ...withoutTime } = body;
    const third = await post(owner.key, withoutTime);
    expect(third.status).toBe(200);
    expect(third.body.id).toBe(first.body.id);
  });

  it("answers 409 when the same (type, externalUserId) comes with a different body", async () => {
    const first = await post(owner.key, { ref: link.code, type: "activation", externalUserId: "user-act-1" });
    expect(first.status).toBe(201);
    const differentValue = await post(owner.key, {
      ref: link.code,
      type: "activation",
      externalUserId: "user-act-1",
      value: 10,
      currency: "USD",
    });
    expectProblem(differentValue, 409, "conflict");
    const secondLink = await createLink(t, owner.backendKey, recap.id, "email");
    const differentRef = await post(owner.key, {
      ref: secondLink.code,
      type: "activation",
      externalUserId: "user-act-1",
    });
    expectProblem(differentRef, 409, "conflict");
    // Another type for the same user is a conversion of its own.
    const paid = await post(owner.key, {
      ref: link.code,
      type: "paid",
      externalUserId: "user-act-1",
      value: 10,
      currency: "USD",
    });
    expect(paid.status).toBe(201);
  });

  it("answers 422 (field ref) for an unknown ref and for another tenant's ref", async () => {
    const unknown = expectProblem(
      await post(owner.key, { ref: "nosuchcode00", type: "signup", externalUserId: "user-x" }),
      422,
      "validation_failed",
    );
    expect(unknown.errors).toEqual([{ path: "ref", message: expect.any(String) }]);
    const foreign = expectProblem(
      await post(owner.key, { ref: foreignLink.code, type: "signup", externalUserId: "user-y" }),
      422,
      "validation_failed",
    );
    expect(foreign.errors).toEqual([{ path: "ref", message: expect.any(String) }]);
  });

  it("refuses invalid bodies with 400", async () => {
    const base = { ref: link.code, externalUserId: "user-bad" };
    const cases: [unknown, string][] = [
      [{ ...base, type: "trial" }, "type"],
      [{ ...base, type: "paid", currency: "EUR" }, "value"],
      [{ ...base, type: "paid", value: 5 }, "currency"],
      [{ ...base, type: "paid", value: 5, currency: "eur" }, "currency"],
      [{ ...base, type: "paid", value: 5, currency: "XYZ" }, "currency"],
      [{ ...base, type: "signup", extra: true }, "extra"],
      [{ ...base, type: "signup", occurredAt: "yesterday" }, "occurredAt"],
      [{ ...base, type: "signup", occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() }, "occurredAt"],
      [{ ...base, type: "signup", occurredAt: new Date(Date.now() - 400 * 86_400_000).toISOString() }, "occurredAt"],
      [{ ref: link.code, type: "signup" }, "externalUserId"],
    ];
    for (const [body, path] of cases) {
      const problem = expectProblem(await post(owner.key, body), 400, "validation_failed");
      expect(
        (problem.errors as { path: string }[]).map((error) => error.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    // A time a little in the future (clock skew) is fine.
    const skewed = await post(owner.key, {
      ...base,
      type: "signup",
      externalUserId: "user-skew",
      occurredAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(skewed.status, JSON.stringify(skewed.body)).toBe(201);
  });

  it("needs the conversions:write scope (403)", async () => {
    const { key } = await makeApiKey(t.deps, owner.tenant.id, ["recaps:read", "recaps:write", "events:write"]);
    expectProblem(
      await post(key, { ref: link.code, type: "signup", externalUserId: "user-scope" }),
      403,
      "insufficient_scope",
    );
    const { key: writer } = await makeApiKey(t.deps, owner.tenant.id, ["conversions:write"]);
    expect((await post(writer, { ref: link.code, type: "signup", externalUserId: "user-scope" })).status).toBe(201);
  });
  it("is described in the OpenAPI document", async () => {
    const doc = await call(t.app, "GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.paths["/v1/conversions"]?.post?.operationId).toBe("recordConversion");
  });
});

describe("loop.completed", () => {
  it("is sent exactly once for a recap's first signup, even when first signups race", async () => {
    const endpoint = await call(t.app, "POST", "/v1/webhooks", {
      key: owner.key,
      body: { url: `${receiver.origin}/loop`, events: ["loop.completed"] },
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const fresh = await publishedRecap(t, owner, "team-22");
    const links = await Promise.all(
      (["linkedin", "email", "copy"] as const).map((channel) => createLink(t, owner.backendKey, fresh.id, channel)),
    );
    // An activation is not a signup: no loop yet.
    const activation = await post(owner.key, { ref: links[0]?.code, type: "activation", externalUserId: "race-0" });
    expect(activation.status).toBe(201);
    // Six first signups at once, through three links of the same recap.
    const racing = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post(owner.key, { ref: links[i % 3]?.code, type: "signup", externalUserId: `race-${i}` }),
      ),
    );
    expect(racing.map((response) => response.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const later = await post(owner.key, { ref: links[1]?.code, type: "signup", externalUserId: "late-1" });
    expect(later.status).toBe(201);

    await expect.poll(() => receiver.received("/loop").length, { timeout: 30_000 }).toBe(1);
    const [stored] = await t.deps.db.execute<{ count: number }>(
      sql`select count(*)::int as count from webhook_messages where type = 'loop.completed' and payload->>'recapId' = ${fresh.id}`,
    );
    expect(stored?.count).toBe(1);

    const verifier = new Webhook(endpoint.body.secret);
    const [request] = receiver.received("/loop");
    if (!request) throw new Error("no delivery");
    const event = verifier.verify(request.raw, request.headers) as {
      type: string;
      data: Record<string, string>;
    };
    expect(event.type).toBe("loop.completed");
    const winner = racing.find((response) => response.body.externalUserId === event.data.externalUserId);
    expect(winner, JSON.stringify(event.data)).toBeDefined();
    const winnerLink = links.find((l) => l.code === event.data.shareLinkCode);
    expect(event.data).toEqual({
      recapId: fresh.id,
      accountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      shareLinkCode: winner?.body.ref,
      channel: winnerLink?.channel,
      externalUserId: winner?.body.externalUserId,
      occurredAt: winner?.body.occurredAt,
    });
    // Nothing more arrives for this recap: every delivery has run.
    await jobsSettled(t.deps.sql, [DELIVER_WEBHOOK_JOB]);
    expect(receiver.received("/loop")).toHaveLength(1);
  }, 120_000);
});
