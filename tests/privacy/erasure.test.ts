import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECAP_RENDER_JOB } from "../../src/assets/render.job.js";
import { jobDefinitions } from "../../src/jobs.js";
import { RECAP_DRAFT_JOB } from "../../src/recaps/generate.js";
import { createLink, publishedRecap, type SharingTenant, sharingTenant, waitFor } from "../sharing/sharing-support.js";
import { makeApiKey, makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import {
  accountIdOf,
  countOf,
  eventCountOf,
  insertClicks,
  insertUnreferencedAsset,
  type TestClick,
} from "./erasure-support.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

let t: TestContext;
let owner: SharingTenant;
let stranger: Awaited<ReturnType<typeof makeTenantWithKey>>;
let erased: Awaited<ReturnType<typeof publishedRecap>>;
let kept: Awaited<ReturnType<typeof publishedRecap>>;

const erase = (externalId: string, key: string, headers: Record<string, string> = {}) =>
  call(t.app, "POST", `/v1/accounts/${externalId}/erasure`, { key, headers });
const page = (path: string) => t.app.request(path, { headers: { "user-agent": CHROME } });

/** Waits until no render job is queued or running: the recaps' assets are final. */
const rendersSettled = () =>
  waitFor(
    () =>
      countOf(
        t.deps,
        sql`select count(*)::int as n from pgboss.job where name = ${RECAP_RENDER_JOB} and state in ('created', 'retry', 'active')`,
      ),
    (pending) => pending === 0,
  );

beforeAll(async () => {
  t = await createTestContext();
  owner = await sharingTenant(t);
  stranger = await makeTenantWithKey(t.deps);
  const theirs = await call(t.app, "PUT", "/v1/accounts/only-theirs", {
    key: stranger.key,
    body: { name: "Their customer" },
  });
  expect(theirs.status).toBe(201);
  await t.startWorkers();
  erased = await publishedRecap(t, owner, "team-20", { waitForAssets: true });
  kept = await publishedRecap(t, owner, "team-21", { waitForAssets: true });
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe("POST /v1/accounts/{externalId}/erasure of an account with a published, shared recap", () => {
  let accountId: string;
  let keptAccountId: string;
  let linkedin: Awaited<ReturnType<typeof createLink>>;
  let email: Awaited<ReturnType<typeof createLink>>;
  let keptLink: Awaited<ReturnType<typeof createLink>>;
  let previewToken: string;
  let erasedAssetKeys: string[];
  let expectedAssets: number;
  let freshPreviewKey: string;
  let eventsBefore: number;
  let keptEventsBefore: number;
  let recapTimes: { generatedAt: Date; approvedAt: Date; publishedAt: Date };
  let response: Awaited<ReturnType<typeof call>>;
  const base = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 5 * HOUR_MS;
  const firstSignupAt = new Date(Date.now() - HOUR_MS);

  beforeAll(async () => {
    accountId = (await accountIdOf(t.deps, owner.tenant.id, "team-20")) as string;
    keptAccountId = (await accountIdOf(t.deps, owner.tenant.id, "team-21")) as string;
    linkedin = await createLink(t, owner.backendKey, erased.id, "linkedin");
    email = await createLink(t, owner.backendKey, erased.id, "email");
    keptLink = await createLink(t, owner.backendKey, kept.id, "linkedin");
    await rendersSettled(); // the first link re-renders the PDF (it prints the share URL)

    // Clicks, hand-made so the tally can be worked out by hand (see the tally test).
    const [li, em] = [linkedin.code, email.code];
    const at = (minutes: number) => new Date(base + minutes * MINUTE_MS);
    const clicks: TestClick[] = [
      { code: li, at: at(5), visitorHash: "bot-1", counted: false, isBot: true, shareStarted: true },
      { code: li, at: at(10), visitorHash: "v1", counted: true, referrerHost: "www.linkedin.com", country: "EE" },
      { code: li, at: at(20), visitorHash: "v1", counted: false, country: "EE" }, // v1 again in the same hour
      { code: li, at: at(30), visitorHash: "bot-2", counted: false, isBot: true },
      { code: li, at: at(65), visitorHash: "v1", counted: true, country: "EE" }, // the next hour counts again
      { code: li, at: at(120), visitorHash: "v2", counted: true, referrerHost: "t.co", country: "FI" },
      { code: em, at: at(180), visitorHash: null, counted: true, country: "SE" }, // asked not to be tracked
    ];
    await insertClicks(t.deps, owner.tenant.id, erased.id, clicks);
    await insertClicks(t.deps, owner.tenant.id, kept.id, [
      { code: keptLink.code, at: new Date(base), visitorHash: "v9", counted: true, country: "DE" },
    ]);

    const conversion = (body: Record<string, unknown>, key?: string) =>
      call(t.app, "POST", "/v1/conversions", {
        key: owner.key,
        body,
        ...(key ? { headers: { "idempotency-key": key } } : {}),
      });
    const conversions = [
      await conversion(
        { ref: linkedin.code, type: "signup", externalUserId: "new-1", occurredAt: firstSignupAt.toISOString() },
        "conv-erased",
      ),
      await conversion({
        ref: email.code,
        type: "signup",
        externalUserId: "new-2",
        occurredAt: new Date(Date.now() - 30 * MINUTE_MS).toISOString(),
      }),
      await conversion({ ref: linkedin.code, type: "activation", externalUserId: "new-1" }),
      await conversion({ ref: linkedin.code, type: "paid", externalUserId: "new-1", value: 100, currency: "EUR" }),
      await conversion({ ref: email.code, type: "paid", externalUserId: "new-2", value: 50, currency: "USD" }),
      await conversion({ ref: keptLink.code, type: "signup", externalUserId: "new-9" }, "conv-kept"),
    ];
    expect(conversions.map((c) => c.status)).toEqual([201, 201, 201, 201, 201, 201]);

    // The template drafter spends no tokens; one LLM call is added so the cost has something to carry.
    expect(await countOf(t.deps, sql`select count(*)::int as n from llm_usage where recap_id = ${erased.id}`)).toBe(0);
    await t.deps.db.execute(sql`insert into llm_usage (tenant_id, recap_id, model, prompt_tokens, completion_tokens, cost_usd)
      values (${owner.tenant.id}, ${erased.id}, 'test-model', 1000, 200, 0.0123)`);
    await t.deps.db.execute(sql`insert into webhook_messages (id, tenant_id, type, payload, created_at) values
      ('msg_erased_recap', ${owner.tenant.id}, 'recap.published', ${JSON.stringify({ recapId: erased.id, accountId })}::jsonb, now()),
      ('msg_erased_account', ${owner.tenant.id}, 'loop.completed', ${JSON.stringify({ recapId: null, accountId })}::jsonb, now()),
      ('msg_kept', ${owner.tenant.id}, 'recap.published', ${JSON.stringify({ recapId: kept.id, accountId: keptAccountId })}::jsonb, now())`);

    const preview = await call(t.app, "POST", `/v1/recaps/${erased.id}/preview-link`, { key: owner.key, body: {} });
    expect(preview.status).toBe(201);
    previewToken = new URL(preview.body.url).pathname.split("/").pop() as string;

    // The link cache is warm: a cached "published" answer would keep redirecting without invalidation.
    expect((await page(`/s/${linkedin.code}`)).status).toBe(200);
    expect((await page(`/s/${email.code}`)).status).toBe(200);

    // The render cache looks an hour old (previews and earlier versions), except one fresh preview.
    await t.deps.db.execute(
      sql`update assets set created_at = now() - interval '1 hour' where tenant_id = ${owner.tenant.id}`,
    );
    await insertUnreferencedAsset(t.deps, owner.tenant.id, 10 * MINUTE_MS);
    freshPreviewKey = await insertUnreferencedAsset(t.deps, owner.tenant.id, 0);
    erasedAssetKeys = (
      await t.deps.db.execute<{ key: string }>(
        sql`select asset_key as key from recap_assets where recap_id = ${erased.id}`,
      )
    ).map((row) => row.key);
    expectedAssets = await countOf(
      t.deps,
      sql`select count(*)::int as n from assets a where a.tenant_id = ${owner.tenant.id}
        and a.created_at < now() - interval '1 minute'
        and not exists (select 1 from recap_assets ra where ra.asset_key = a.key and ra.recap_id <> ${erased.id})`,
    );
    const [times] = await t.deps.db.execute<{ generated: string; approved: string; published: string }>(sql`
      select r.created_at as generated,
        (select min(at) from recap_events where recap_id = r.id and to_state = 'approved') as approved,
        (select min(at) from recap_events where recap_id = r.id and to_state = 'published') as published
      from recaps r where r.id = ${erased.id}`);
    recapTimes = {
      generatedAt: new Date(times?.generated as string),
      approvedAt: new Date(times?.approved as string),
      publishedAt: new Date(times?.published as string),
    };
    eventsBefore = await eventCountOf(t.deps, accountId);
    keptEventsBefore = await eventCountOf(t.deps, keptAccountId);

    const { key: accountsKey } = await makeApiKey(t.deps, owner.tenant.id, ["accounts:write"]);
    response = await erase("team-20", accountsKey);
  }, 120_000);

  it("answers 200 with what it removed, detached and kept", () => {
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      erasedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      events: eventsBefore,
      recaps: 1,
      assets: expectedAssets,
      links: 2,
      clicksAnonymized: 7,
      conversionsDetached: 5,
      llmCallsDetached: 1,
      webhookMessages: 2,
      idempotencyRecords: 1,
      talliesKept: 1,
    });
    expect(eventsBefore).toBeGreaterThan(1000);
    expect(expectedAssets).toBeGreaterThanOrEqual(5); // the four kinds and the old preview, at least
  });

  it("leaves no account, event, rollup, recap, audit event, preview token or file of the account", async () => {
    const left = await t.deps.db.execute<Record<string, number>>(sql`select
      (select count(*)::int from accounts where id = ${accountId}) as accounts,
      (select count(*)::int from usage_events where account_id = ${accountId}) as events,
      (select count(*)::int from usage_rollups where account_id = ${accountId}) as rollups,
      (select count(*)::int from usage_distinct_values where account_id = ${accountId}) as distinct_values,
      (select count(*)::int from recaps where account_id = ${accountId}) as recaps,
      (select count(*)::int from recap_events where recap_id = ${erased.id}) as recap_events,
      (select count(*)::int from preview_tokens where recap_id = ${erased.id}) as preview_tokens,
      (select count(*)::int from recap_assets where recap_id = ${erased.id}) as recap_assets,
      (select count(*)::int from assets where key in (${sql.join(
        erasedAssetKeys.map((key) => sql`${key}`),
        sql`, `,
      )})) as assets`);
    expect(left[0]).toEqual({
      accounts: 0,
      events: 0,
      rollups: 0,
      distinct_values: 0,
      recaps: 0,
      recap_events: 0,
      preview_tokens: 0,
      recap_assets: 0,
      assets: 0,
    });
    expect(erasedAssetKeys).toHaveLength(4);
    expectProblem(await call(t.app, "GET", `/v1/recaps/${erased.id}`, { key: owner.key }), 404, "not_found");
    expectProblem(await call(t.app, "GET", "/v1/accounts/team-20", { key: owner.key }), 404, "not_found");
    expect((await page(`/p/${previewToken}`)).status).toBe(404);
    expect((await page(`/assets/${erasedAssetKeys[0]}.png`)).status).toBe(404);
  });

  it("keeps the share links, whose pages and redirects answer 410 Gone even from a warm link cache", async () => {
    const links = await t.deps.db.execute<{ code: string; recap_id: string | null }>(
      sql`select code, recap_id from share_links where code in (${linkedin.code}, ${email.code}) order by code`,
    );
    expect(links.map((link) => link.recap_id)).toEqual([null, null]);
    for (const code of [linkedin.code, email.code]) {
      expect((await page(`/s/${code}`)).status, `/s/${code}`).toBe(410);
      expect((await page(`/r/${code}`)).status, `/r/${code}`).toBe(410);
    }
  });

  it("keeps the clicks without visitor hash, referrer or country, and the conversions without a recap", async () => {
    const clicks = await t.deps.db.execute<{ personal: number; total: number; with_recap: number }>(sql`
      select count(*)::int as total,
        count(*) filter (where visitor_hash is not null or referrer_host is not null or country is not null)::int as personal,
        count(recap_id)::int as with_recap
      from link_clicks where code in (${linkedin.code}, ${email.code})`);
    expect(clicks[0]).toEqual({ total: 7, personal: 0, with_recap: 0 });
    const conversions = await t.deps.db.execute<{ total: number; with_recap: number }>(sql`
      select count(*)::int as total, count(recap_id)::int as with_recap
      from conversions where ref in (${linkedin.code}, ${email.code})`);
    expect(conversions[0]).toEqual({ total: 5, with_recap: 0 });
    const llm = await t.deps.db.execute<{ recap_id: string | null; cost_usd: string }>(
      sql`select recap_id, cost_usd from llm_usage where tenant_id = ${owner.tenant.id} and model = 'test-model'`,
    );
    expect(llm.map((row) => [row.recap_id, Number(row.cost_usd)])).toEqual([[null, 0.0123]]);
  });

  it("keeps one anonymous tally with the loop counts worked out by hand", async () => {
    const tallies = await t.deps.db.execute<Record<string, unknown>>(
      sql`select * from erased_recap_tallies where tenant_id = ${owner.tenant.id}`,
    );
    expect(tallies).toHaveLength(1);
    const tally = tallies[0] as Record<string, unknown>;
    const at = (value: unknown) => (value === null ? null : new Date(value as string).getTime());
    expect({
      ...tally,
      generated_at: at(tally.generated_at),
      approved_at: at(tally.approved_at),
      published_at: at(tally.published_at),
      shared_at: at(tally.shared_at),
      first_signup_at: at(tally.first_signup_at),
      revenue: Number(tally.revenue),
      llm_cost_usd: Number(tally.llm_cost_usd),
    }).toEqual({
      id: expect.any(String),
      tenant_id: owner.tenant.id,
      locale: erased.locale,
      variant: erased.variant,
      kind: "quarterly",
      segment: "growth",
      channel: "linkedin", // the link of the first counted click
      generated_at: recapTimes.generatedAt.getTime(),
      approved_at: recapTimes.approvedAt.getTime(),
      published_at: recapTimes.publishedAt.getTime(),
      shared_at: base + 10 * MINUTE_MS, // v1's first click; the LinkedInBot fetch before it is no click
      first_signup_at: firstSignupAt.getTime(),
      human_clicks: 4, // v1 twice (two hours), v2, and the untracked e-mail click
      bot_clicks: 2,
      visitors: 3, // v1, v2, and the untracked visitor counted on their own
      share_starts: 1,
      signups: 2,
      activations: 1,
      paid: 2,
      revenue: 100, // the USD payment is left out of a EUR tenant's revenue
      llm_cost_usd: 0.0123,
      erased_at: expect.anything(),
    });
    expect(JSON.stringify(tally)).not.toMatch(/team-20|v1|linkedin\.com|EE/);
  });

  it("deletes webhook messages and stored idempotent responses about the account, and nothing else", async () => {
    const messages = await t.deps.db.execute<{ id: string }>(
      sql`select id from webhook_messages where tenant_id = ${owner.tenant.id} order by id`,
    );
    expect(messages.map((message) => message.id)).toEqual(["msg_kept"]);
    const records = await t.deps.db.execute<{ key: string }>(
      sql`select key from idempotency_keys where tenant_id = ${owner.tenant.id} order by key`,
    );
    expect(records.map((record) => record.key)).toEqual(["conv-kept"]);
  });

  it("sweeps the tenant's unused render cache but spares a preview made in the last minute", async () => {
    const fresh = await countOf(t.deps, sql`select count(*)::int as n from assets where key = ${freshPreviewKey}`);
    expect(fresh).toBe(1);
    const unusedOld = await countOf(
      t.deps,
      sql`select count(*)::int as n from assets a where a.tenant_id = ${owner.tenant.id}
        and a.created_at < now() - interval '1 minute'
        and not exists (select 1 from recap_assets ra where ra.asset_key = a.key)`,
    );
    expect(unusedOld).toBe(0);
  });

  it("leaves the tenant's other account, its recap, files, link and clicks untouched", async () => {
    expect(await eventCountOf(t.deps, keptAccountId)).toBe(keptEventsBefore);
    const recap = await call(t.app, "GET", `/v1/recaps/${kept.id}`, { key: owner.key });
    expect(recap.body.state).toBe("published");
    const assets = await call(t.app, "GET", `/v1/recaps/${kept.id}/assets`, { key: owner.key });
    expect(assets.body.data).toHaveLength(4);
    expect((await page(`/s/${keptLink.code}`)).status).toBe(200);
    const clicks = await t.deps.db.execute<{ visitor_hash: string; recap_id: string }>(
      sql`select visitor_hash, recap_id from link_clicks where code = ${keptLink.code}`,
    );
    expect(clicks.map((click) => [click.visitor_hash, click.recap_id])).toEqual([["v9", kept.id]]);
  });

  it("answers a second erasure with 404, and the external id can then start a new, empty account", async () => {
    const again = expectProblem(await erase("team-20", owner.key), 404, "not_found");
    expect(again.detail).not.toContain("team-20");
    const recreated = await call(t.app, "PUT", "/v1/accounts/team-20", { key: owner.key, body: { name: "Team 20" } });
    expect(recreated.status).toBe(201);
    expect(recreated.body.id).not.toBe(accountId);
  });

  it("lets jobs still queued for the erased recap finish quietly", async () => {
    const definitions = jobDefinitions(t.deps);
    const job = { id: "left-over", retryCount: 0, data: {} } as never;
    for (const name of [RECAP_DRAFT_JOB, RECAP_RENDER_JOB]) {
      const definition = definitions.find((candidate) => candidate.name === name);
      await expect(
        definition?.handle({ recapId: erased.id, tenantId: owner.tenant.id }, job),
        name,
      ).resolves.toBeUndefined();
    }
  });
});

describe("who may erase an account", () => {
  it("answers 404 for another tenant's account, and changes nothing there or here", async () => {
    const theirAccount = await accountIdOf(t.deps, stranger.tenant.id, "only-theirs");
    expectProblem(await erase("only-theirs", owner.key), 404, "not_found");
    expect(await accountIdOf(t.deps, stranger.tenant.id, "only-theirs")).toBe(theirAccount);

    const ours = (await accountIdOf(t.deps, owner.tenant.id, "team-21")) as string;
    const events = await eventCountOf(t.deps, ours);
    expectProblem(await erase("team-21", stranger.key), 404, "not_found");
    expect(await accountIdOf(t.deps, owner.tenant.id, "team-21")).toBe(ours);
    expect(await eventCountOf(t.deps, ours)).toBe(events);
    expect((await call(t.app, "GET", `/v1/recaps/${kept.id}`, { key: owner.key })).body.state).toBe("published");
  });

  it("needs accounts:write or admin (403 otherwise, 401 without a key)", async () => {
    const { key: reader } = await makeApiKey(t.deps, owner.tenant.id, ["recaps:read", "recaps:write", "events:write"]);
    expectProblem(await erase("team-7", reader), 403, "insufficient_scope");
    expectProblem(await call(t.app, "POST", "/v1/accounts/team-7/erasure"), 401, "unauthorized");
    expect(await accountIdOf(t.deps, owner.tenant.id, "team-7")).not.toBeNull();

    const { key: admin } = await makeApiKey(t.deps, owner.tenant.id, ["admin"]);
    const response = await erase("team-7", admin);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ recaps: 0, links: 0, talliesKept: 0 });
    expect(response.body.events).toBeGreaterThan(0);
    expect(await accountIdOf(t.deps, owner.tenant.id, "team-7")).toBeNull();
  });

  it("refuses a malformed external id with a validation problem", async () => {
    for (const externalId of ["two%20words", "x".repeat(201), "%C3%A4"]) {
      const problem = expectProblem(await erase(externalId, owner.key), 400, "validation_failed");
      expect(problem.errors, externalId).toEqual([
        { path: expect.stringContaining("externalId"), message: expect.any(String) },
      ]);
    }
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await call(t.app, "GET", "/openapi.json");
    const operation = doc.body.paths["/v1/accounts/{externalId}/erasure"]?.post;
    expect(operation?.operationId).toBe("eraseAccount");
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(["200", "400", "403", "404"]));
  });
});
