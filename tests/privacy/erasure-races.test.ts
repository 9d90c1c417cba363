import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lazyRenderer } from "../../src/assets/lazy-renderer.js";
import { RECAP_RENDER_JOB } from "../../src/assets/render.job.js";
import type { Drafter } from "../../src/drafting/drafter.types.js";
import { createTemplateDrafter } from "../../src/drafting/template-drafter.js";
import { RECAP_DRAFT_JOB } from "../../src/recaps/generate.js";
import { createRenderer } from "../../src/rendering/renderer.js";
import type { Renderer } from "../../src/rendering/rendering.types.js";
import { type SharingTenant, sharingTenant, waitFor } from "../sharing/sharing-support.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { accountIdOf, countOf, createGate, eventCountOf, jobState } from "./erasure-support.js";

// Jobs and requests that race an erasure: each is held at a gate while the account is erased.
const renderGate = createGate();
const draftGate = createGate();
const realRenderer = lazyRenderer(() => createRenderer({ threads: 1 }));
const heldRenderer: Renderer = {
  async render(kind, input) {
    await renderGate.pass();
    return realRenderer.render(kind, input);
  },
  close: () => realRenderer.close(),
};
const template = createTemplateDrafter();
// Another name than the template's, so the drafting job calls it (it would call the template directly).
const heldDrafter: Drafter = {
  name: "held-template",
  model: null,
  promptVersion: template.promptVersion,
  async draft(input, feedback) {
    await draftGate.pass();
    return template.draft(input, feedback);
  },
};

let t: TestContext;
let owner: SharingTenant;

const erase = (externalId: string) => call(t.app, "POST", `/v1/accounts/${externalId}/erasure`, { key: owner.key });
const settled = (name: string, recapId: string) =>
  waitFor(
    () => jobState(t.deps, name, recapId),
    (state) => state !== null && state !== "created" && state !== "active",
  );

beforeAll(async () => {
  t = await createTestContext({ renderer: heldRenderer, drafter: heldDrafter });
  owner = await sharingTenant(t);
  await t.startWorkers();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe("erasure racing other writers", () => {
  it("waits for an event batch in flight for the account, then erases its events too", async () => {
    const accountId = (await accountIdOf(t.deps, owner.tenant.id, "team-6")) as string;
    const before = await eventCountOf(t.deps, accountId);
    const batch = createGate();
    const held = batch.arm();
    // What ingestion does: insert the events in a transaction (a key-share lock on the account row).
    const ingest = t.deps.sql.begin(async (tx) => {
      await tx`insert into usage_events (tenant_id, account_id, event, quantity, occurred_at)
        values (${owner.tenant.id}, ${accountId}, 'automation.run', 1, now())`;
      await batch.pass();
    });
    await held.arrived;
    const erasure = erase("team-6");
    // Blocked means a session of this database waits for a lock (the batch's); an erasure that
    // does not wait finishes first.
    const blocked = waitFor(
      () =>
        countOf(
          t.deps,
          sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
        ),
      (waiting) => waiting > 0,
    );
    const first = await Promise.race([erasure.then(() => "erased"), blocked.then(() => "waiting")]);
    expect(first).toBe("waiting");
    held.release();
    await ingest;
    const response = await erasure;
    expect(response.status, response.text).toBe(200);
    expect(response.body.events).toBe(before + 1);
    expect(await eventCountOf(t.deps, accountId)).toBe(0);
  });

  it("lets a drafting job whose recap is erased meanwhile finish quietly", async () => {
    const held = draftGate.arm();
    const created = await call(t.app, "POST", "/v1/recaps", { key: owner.backendKey, body: { account: "team-9" } });
    expect(created.status, created.text).toBe(202);
    await held.arrived;
    const erased = await erase("team-9");
    expect(erased.body).toMatchObject({ recaps: 1 });
    held.release();
    expect(await settled(RECAP_DRAFT_JOB, created.body.id)).toBe("completed");
    expect(await countOf(t.deps, sql`select count(*)::int as n from recaps where id = ${created.body.id}`)).toBe(0);
  });

  it("lets a render whose recap is erased meanwhile finish quietly and leave no file behind", async () => {
    const created = await call(t.app, "POST", "/v1/recaps", { key: owner.backendKey, body: { account: "team-8" } });
    expect(created.status, created.text).toBe(202);
    const pending = await waitFor(
      () => call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key: owner.key }),
      (response) => response.body?.state === "pending_review",
    );
    const held = renderGate.arm();
    const approved = await call(t.app, "POST", `/v1/recaps/${created.body.id}/approve`, {
      key: owner.reviewKey,
      body: {},
      headers: { "if-match": pending.headers.get("etag") ?? "" },
    });
    expect(approved.status, approved.text).toBe(200);
    await held.arrived;
    const keysBefore = (
      await t.deps.db.execute<{ key: string }>(sql`select key from assets where tenant_id = ${owner.tenant.id}`)
    ).map((row) => row.key);
    expect((await erase("team-8")).status).toBe(200);
    held.release();
    expect(await settled(RECAP_RENDER_JOB, created.body.id)).toBe("completed");
    const made = await countOf(
      t.deps,
      sql`select count(*)::int as n from assets where tenant_id = ${owner.tenant.id}
        and key <> all(${`{${keysBefore.join(",")}}`}::text[])`,
    );
    expect(made).toBe(0);
  });
});
