import { randomUUID } from "node:crypto";
import type postgres from "postgres";

/**
 * A quarter of one tenant's loop, written straight into the tables with chosen times so every
 * expected figure in analytics.test.ts can be computed by hand (the computation is written there).
 *
 * Cohort: recaps generated 2026-07-01 (R1–R7 and one erased account's tally); R8 is generated
 * after the range and must not count.
 *
 *   R1 fi A quarterly smb  published Mon 07-06 12:00  linkedin: v1, v1 again (deduped), v2, a bot,
 *                          a LinkedInBot share start; signups u1 +6 h, u2; u1 activates and pays 100 EUR
 *   R2 fi B quarterly mid  published Tue 07-07 00:00  email: v3; signup u3 +48 h
 *   R3 et B quarterly smb  published Tue 07-14 00:00  linkedin: two GPC clicks (no hash), Slackbot;
 *                          signups u4 +12 h, u5, u6; u5 pays 50 EUR, u6 pays 30 USD (other currency)
 *   R4 de A quarterly mid  published Tue 07-14 00:00  copy: v4; no signup
 *   R5 de A milestone –    published Mon 07-20 00:00  no link
 *   R6 en B quarterly smb  approved, never published
 *   R7 en A quarterly smb  generated only
 *   R8 fi A quarterly smb  generated 10-05 (outside), published, one signup
 *   erased sv A quarterly smb linkedin, published 07-21, first signup +48 h (1 signup, 2 visitors)
 */
export async function writeLoopScenario(sql: postgres.Sql, tenantId: string) {
  // ISO strings: the service's postgres.js client leaves value serialization to drizzle.
  const at = (iso: string) => new Date(`2026-${iso}Z`).toISOString();
  const recapIds: Record<string, string> = {};

  async function recap(
    name: string,
    spec: { locale: string; variant: string; kind: string; segment: string | null; generated?: string },
  ) {
    const [account] = await sql`
      insert into accounts (tenant_id, external_id, name, segment, consent)
      values (${tenantId}, ${`acct-${name}`}, ${`Account ${name}`}, ${spec.segment}, ${"{}"}::jsonb)
      returning id`;
    const [row] = await sql`
      insert into recaps (tenant_id, account_id, period, kind, locale, state, digest, origin, variant, created_at)
      values (${tenantId}, ${account?.id}, '2026-Q2', ${spec.kind}, ${spec.locale}, 'pending_review',
        ${"{}"}::jsonb, ${JSON.stringify({ type: "api" })}::jsonb, ${spec.variant}, ${at(spec.generated ?? "07-01T09:00:00")})
      returning id`;
    recapIds[name] = row?.id;
    return row?.id as string;
  }

  let version = 1;
  async function event(recapId: string, toState: string, when: string) {
    version++;
    await sql`
      insert into recap_events (tenant_id, recap_id, action, actor_type, actor_name, from_state, to_state, version, at)
      values (${tenantId}, ${recapId}, ${toState === "published" ? "publish" : "approve"}, 'reviewer', 'Test',
        'pending_review', ${toState}, ${version}, ${at(when)})`;
  }
  async function link(recapId: string, code: string, channel: string) {
    await sql`insert into share_links (code, tenant_id, recap_id, channel, recap_version)
      values (${code}, ${tenantId}, ${recapId}, ${channel}, 1)`;
  }
  async function click(
    recapId: string,
    code: string,
    when: string,
    kind: { visitor?: string | null; counted: boolean; bot?: string; shareStarted?: boolean },
  ) {
    const time = at(when);
    const hour = new Date(Math.floor(Date.parse(time) / 3_600_000) * 3_600_000).toISOString();
    await sql`
      insert into link_clicks (id, code, tenant_id, recap_id, at, hour_bucket, visitor_hash, is_bot, bot_reason,
        method, counted, share_started)
      values (${randomUUID()}, ${code}, ${tenantId}, ${recapId}, ${time}, ${hour}, ${kind.visitor ?? null},
        ${kind.bot !== undefined}, ${kind.bot ?? null}, 'GET', ${kind.counted}, ${kind.shareStarted ?? false})`;
  }
  async function conversion(
    recapId: string,
    code: string,
    type: string,
    user: string,
    when: string,
    paid?: [number, string],
  ) {
    await sql`
      insert into conversions (tenant_id, ref, recap_id, type, external_user_id, value, currency, occurred_at)
      values (${tenantId}, ${code}, ${recapId}, ${type}, ${user}, ${paid?.[0] ?? null}, ${paid?.[1] ?? null}, ${at(when)})`;
  }
  async function llm(recapId: string | null, costUsd: number) {
    await sql`insert into llm_usage (tenant_id, recap_id, model, prompt_tokens, completion_tokens, cost_usd)
      values (${tenantId}, ${recapId}, 'test-model', 1000, 200, ${costUsd})`;
  }
  const prefix = tenantId.slice(0, 6);
  const code = (n: number) => `${prefix}L${n}`;

  const r1 = await recap("R1", { locale: "fi", variant: "A", kind: "quarterly", segment: "smb" });
  await event(r1, "approved", "07-02T10:00:00");
  await event(r1, "published", "07-06T12:00:00");
  await link(r1, code(1), "linkedin");
  await click(r1, code(1), "07-06T12:30:00", { shareStarted: true, bot: "linkedinbot", counted: false });
  await click(r1, code(1), "07-06T13:00:00", { visitor: "v1", counted: true });
  await click(r1, code(1), "07-06T13:30:00", { visitor: "v1", counted: false });
  await click(r1, code(1), "07-07T09:00:00", { visitor: "v2", counted: true });
  await click(r1, code(1), "07-07T09:05:00", { visitor: null, bot: "isbot", counted: false });
  await conversion(r1, code(1), "signup", "u1", "07-06T18:00:00");
  await conversion(r1, code(1), "signup", "u2", "07-08T12:00:00");
  await conversion(r1, code(1), "activation", "u1", "07-07T12:00:00");
  await conversion(r1, code(1), "paid", "u1", "07-10T12:00:00", [100, "EUR"]);
  await llm(r1, 0.02);

  const r2 = await recap("R2", { locale: "fi", variant: "B", kind: "quarterly", segment: "mid" });
  await event(r2, "approved", "07-02T10:00:00");
  await event(r2, "published", "07-07T00:00:00");
  await link(r2, code(2), "email");
  await click(r2, code(2), "07-08T00:00:00", { visitor: "v3", counted: true });
  await conversion(r2, code(2), "signup", "u3", "07-09T00:00:00");
  await llm(r2, 0.03);

  const r3 = await recap("R3", { locale: "et", variant: "B", kind: "quarterly", segment: "smb" });
  await event(r3, "approved", "07-03T10:00:00");
  await event(r3, "published", "07-14T00:00:00");
  await link(r3, code(3), "linkedin");
  await click(r3, code(3), "07-14T01:00:00", { visitor: null, counted: true });
  await click(r3, code(3), "07-14T01:10:00", { visitor: null, counted: true });
  await click(r3, code(3), "07-14T02:00:00", { visitor: null, bot: "slackbot", counted: false });
  await conversion(r3, code(3), "signup", "u4", "07-14T12:00:00");
  await conversion(r3, code(3), "signup", "u5", "07-15T12:00:00");
  await conversion(r3, code(3), "signup", "u6", "07-16T12:00:00");
  await conversion(r3, code(3), "paid", "u5", "07-20T12:00:00", [50, "EUR"]);
  await conversion(r3, code(3), "paid", "u6", "07-21T12:00:00", [30, "USD"]);

  const r4 = await recap("R4", { locale: "de", variant: "A", kind: "quarterly", segment: "mid" });
  await event(r4, "approved", "07-03T10:00:00");
  await event(r4, "published", "07-14T00:00:00");
  await link(r4, code(4), "copy");
  await click(r4, code(4), "07-15T08:00:00", { visitor: "v4", counted: true });

  const r5 = await recap("R5", { locale: "de", variant: "A", kind: "milestone", segment: null });
  await event(r5, "approved", "07-19T10:00:00");
  await event(r5, "published", "07-20T00:00:00");

  const r6 = await recap("R6", { locale: "en", variant: "B", kind: "quarterly", segment: "smb" });
  await event(r6, "approved", "07-04T10:00:00");

  const r7 = await recap("R7", { locale: "en", variant: "A", kind: "quarterly", segment: "smb" });
  await llm(r7, 0.01);
  await llm(null, 5); // a tenant-level call without a recap: not the cohort's spend

  const r8 = await recap("R8", {
    locale: "fi",
    variant: "A",
    kind: "quarterly",
    segment: "smb",
    generated: "10-05T09:00:00",
  });
  await event(r8, "approved", "10-05T10:00:00");
  await event(r8, "published", "10-06T00:00:00");
  await link(r8, code(8), "linkedin");
  await conversion(r8, code(8), "signup", "u8", "10-07T00:00:00");
  await llm(r8, 0.5);

  await sql`
    insert into erased_recap_tallies (tenant_id, locale, variant, kind, segment, channel, generated_at, approved_at,
      published_at, shared_at, first_signup_at, human_clicks, bot_clicks, visitors, share_starts, signups,
      activations, paid, revenue, llm_cost_usd)
    values (${tenantId}, 'sv', 'A', 'quarterly', 'smb', 'linkedin', ${at("07-01T09:00:00")}, ${at("07-02T09:00:00")},
      ${at("07-21T00:00:00")}, ${at("07-21T06:00:00")}, ${at("07-23T00:00:00")}, 3, 1, 2, 0, 1, 0, 0, 0, 0.04)`;

  return recapIds;
}
