import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeApiKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { createLink, publishedRecap, type SharingTenant, sharingTenant } from "./sharing-support.js";

let t: TestContext;
let owner: SharingTenant;
let other: SharingTenant;

beforeAll(async () => {
  t = await createTestContext({ env: { PUBLIC_BASE_URL: "https://recaps.example.com" } });
  owner = await sharingTenant(t);
  // Another tenant, without a signup URL: the foreign key in the access tests, and a tenant whose
  // links would lead nowhere (one seeded tenant fewer than a third for that alone).
  other = await sharingTenant(t, null);
  await t.startWorkers();
});
afterAll(() => t.close());

describe("share links API", () => {
  it("makes a link for a published recap with a versioned share URL and a redirect URL, and lists it", async () => {
    const recap = await publishedRecap(t, owner, "team-20");
    const link = await createLink(t, owner.backendKey, recap.id, "email");
    expect(link.code).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(link).toMatchObject({
      channel: "email",
      recapVersion: recap.version,
      shareUrl: `https://recaps.example.com/s/${link.code}?v=${recap.version}`,
      redirectUrl: `https://recaps.example.com/r/${link.code}`,
    });
    const second = await createLink(t, owner.backendKey, recap.id, "linkedin");
    expect(second.code).not.toBe(link.code);
    const listed = await call(t.app, "GET", `/v1/recaps/${recap.id}/links`, { key: owner.readerKey });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((row: { code: string }) => row.code)).toEqual([link.code, second.code]);
  });

  it("refuses links for a recap that is not published (409) and an unknown channel (400)", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", { key: owner.backendKey, body: { account: "team-21" } });
    await expect
      .poll(async () => (await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: owner.key })).body.state, {
        timeout: 30_000,
      })
      .toBe("pending_review");
    const refused = await call(t.app, "POST", `/v1/recaps/${created.body.id}/links`, {
      key: owner.backendKey,
      body: { channel: "linkedin" },
    });
    expectProblem(refused, 409, "conflict");
    const recap = await publishedRecap(t, owner, "team-22");
    const bad = await call(t.app, "POST", `/v1/recaps/${recap.id}/links`, {
      key: owner.backendKey,
      body: { channel: "myspace" },
    });
    expectProblem(bad, 400, "validation_failed");
    const extra = await call(t.app, "POST", `/v1/recaps/${recap.id}/links`, {
      key: owner.backendKey,
      body: { channel: "x", tracking: false },
    });
    expectProblem(extra, 400, "validation_failed");
  });

  it("hides another tenant's recap (404) and needs recaps:write to create (403)", async () => {
    const recap = await publishedRecap(t, owner, "team-23");
    const foreignCreate = await call(t.app, "POST", `/v1/recaps/${recap.id}/links`, {
      key: other.backendKey,
      body: { channel: "linkedin" },
    });
    expectProblem(foreignCreate, 404, "not_found");
    expectProblem(await call(t.app, "GET", `/v1/recaps/${recap.id}/links`, { key: other.key }), 404, "not_found");
    const readOnly = await call(t.app, "POST", `/v1/recaps/${recap.id}/links`, {
      key: owner.readerKey,
      body: { channel: "linkedin" },
    });
    expectProblem(readOnly, 403, "insufficient_scope");
    const eventsOnly = await makeApiKey(t.deps, owner.tenant.id, ["events:write"]);
    expectProblem(
      await call(t.app, "GET", `/v1/recaps/${recap.id}/links`, { key: eventsOnly.key }),
      403,
      "insufficient_scope",
    );
    expectProblem(await call(t.app, "GET", `/v1/recaps/${recap.id}/links`), 401, "unauthorized");
  });

  it("says a link needs a channel, and which channels there are, when the body is missing or names another", async () => {
    const recap = await publishedRecap(t, owner, "team-25");
    const path = `/v1/recaps/${recap.id}/links`;
    for (const options of [{}, { body: {} }]) {
      const missing = await call(t.app, "POST", path, { key: owner.backendKey, ...options });
      expect(expectProblem(missing, 400, "validation_failed").errors).toEqual([
        { path: "channel", message: "is required: one of linkedin, email, copy, x, other" },
      ]);
    }
    const unknown = await call(t.app, "POST", path, { key: owner.backendKey, body: { channel: "myspace" } });
    expect(expectProblem(unknown, 400, "validation_failed").errors).toEqual([
      { path: "channel", message: "must be one of linkedin, email, copy, x, other" },
    ]);
    const listed = await call(t.app, "GET", path, { key: owner.readerKey });
    expect(listed.body.data).toEqual([]);
  });

  it("uses the configured PUBLIC_BASE_URL whatever host a request came to", async () => {
    const recap = await publishedRecap(t, owner, "team-26");
    const link = await createLink(t, owner.backendKey, recap.id, "linkedin");
    const host = { host: "127.0.0.1:4123" };
    const spec = await t.app.request("http://127.0.0.1:4123/openapi.json", { headers: host });
    expect(((await spec.json()) as { servers: { url: string }[] }).servers[0]?.url).toBe("https://recaps.example.com");
    const listed = await t.app.request(`http://127.0.0.1:4123/v1/recaps/${recap.id}/links`, {
      headers: { ...host, authorization: `Bearer ${owner.readerKey}` },
    });
    const [row] = ((await listed.json()) as { data: { shareUrl: string }[] }).data;
    expect(row?.shareUrl).toBe(`https://recaps.example.com/s/${link.code}?v=${recap.version}`);
  });

  it("refuses a link when the tenant has no signup URL to lead to", async () => {
    const recap = await publishedRecap(t, other, "team-24");
    const refused = await call(t.app, "POST", `/v1/recaps/${recap.id}/links`, {
      key: other.backendKey,
      body: { channel: "linkedin" },
    });
    expectProblem(refused, 409, "conflict");
    expect(refused.body.detail).toContain("no signup URL");
  });
});
