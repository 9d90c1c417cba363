import { expect } from "vitest";
import { call } from "../support/http.js";
import type { TestContext } from "../support/test-context.js";

/** Polls until `ready` holds (usable in beforeAll, where expect.poll is not). */
export async function waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The account as the API's PUT takes it back, with the given contact fields. */
export async function setContact(
  t: TestContext,
  key: string,
  externalId: string,
  contact: { contactEmail?: string | null; contactConsent?: { consentedAt: string; source: string } | null },
) {
  const current = await call(t.app, "GET", `/v1/accounts/${externalId}`, { key });
  expect(current.status).toBe(200);
  const { name, locale, currency, timeZone, segment, seats, subscriptionPrice, subscriptionPeriod, consent } =
    current.body;
  const body = { name, locale, currency, timeZone, segment, seats, subscriptionPrice, subscriptionPeriod, consent };
  return call(t.app, "PUT", `/v1/accounts/${externalId}`, { key, body: { ...body, ...contact } });
}

/** Generates a recap for the account, waits for its draft and approves it; returns the approved body. */
export async function approvedRecap(t: TestContext, key: string, account: string) {
  const created = await call(t.app, "POST", "/v1/recaps", { key, body: { account } });
  expect(created.status, created.text).toBe(202);
  await waitUntil(
    async () => (await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key })).body.state === "pending_review",
    `the ${account} recap's draft`,
  );
  const loaded = await call(t.app, "GET", `/v1/recaps/${created.body.id}`, { key });
  const approved = await call(t.app, "POST", `/v1/recaps/${created.body.id}/approve`, {
    key,
    body: {},
    headers: { "if-match": loaded.headers.get("etag") ?? "" },
  });
  expect(approved.status, approved.text).toBe(200);
  return approved;
}

/** Waits until every customer e-mail job for the recap has finished (pg-boss's own record of it). */
export async function emailJobsDone(t: TestContext, recapId: string) {
  await waitUntil(async () => {
    const rows = await t.deps.sql<{ state: string }[]>`
      select state from pgboss.job where name = 'recap.customer_email' and data->>'recapId' = ${recapId}`;
    return rows.length > 0 && rows.every((row) => row.state === "completed");
  }, "the customer e-mail job");
}
