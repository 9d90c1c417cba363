import type { Deps } from "../deps.js";
import { createTemplateDrafter } from "../drafting/template-drafter.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { recordConversion } from "../loop/record-conversion.js";
import { fixedClock } from "../platform/clock.js";
import { getTenant, type Tenant } from "../platform/tenancy/tenants.js";
import { publishRecap } from "../publishing/publish-recap.js";
import { draftRecap } from "../recaps/draft.job.js";
import { createRecap } from "../recaps/generate.js";
import type { Actor } from "../recaps/recap-actions.js";
import { approveRecap } from "../recaps/recap-changes.js";
import { getRecap } from "../recaps/recaps.js";
import { classifyRequest } from "../sharing/bot-detection.js";
import { createShareLink } from "../sharing/share-links.js";
import type { ShareChannel } from "../sharing/sharing.schema.js";
import { getAccountByExternalId } from "../usage/accounts.js";
import { lastFullQuarter } from "../usage/period.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/**
 * The demo accounts that get a recap in the sample history, beyond the named ones, and the
 * language each speaks (seedDemoUsage creates them with these), so the history covers all five.
 */
export const DEMO_HISTORY_LOCALES: Record<string, { locale: SupportedLocale; timeZone: string }> = {
  "team-5": { locale: "fi", timeZone: "Europe/Helsinki" },
  "team-6": { locale: "de", timeZone: "Europe/Berlin" },
  "team-7": { locale: "sv", timeZone: "Europe/Stockholm" },
  "team-8": { locale: "et", timeZone: "Europe/Tallinn" },
  "team-9": { locale: "fi", timeZone: "Europe/Helsinki" },
  "team-11": { locale: "sv", timeZone: "Europe/Stockholm" },
  "team-12": { locale: "de", timeZone: "Europe/Berlin" },
  "team-13": { locale: "et", timeZone: "Europe/Tallinn" },
  "team-14": { locale: "fi", timeZone: "Europe/Helsinki" },
  "team-16": { locale: "de", timeZone: "Europe/Berlin" },
  "team-17": { locale: "sv", timeZone: "Europe/Stockholm" },
  "team-18": { locale: "fi", timeZone: "Europe/Helsinki" },
};

type LinkPlan = {
  channel: ShareChannel;
  /** People who followed the link (one of them twice within the hour, where `repeat` is set). */
  humans: number;
  /** Crawlers and link checkers on the redirect: stored, flagged, never counted. */
  bots?: number;
  /** LinkedInBot fetching the share page: someone started a LinkedIn post. */
  shareStarts?: number;
  repeat?: boolean;
};

type RecapPlan = {
  /** An account seeded by seedDemoUsage. `kide-analytics` is left out: the banner's first step makes its recap. */
  account: string;
  /** When the recap was generated, in weeks before the seed runs. */
  weeksAgo: number;
  fate: "published" | "approved" | "pending_review";
  links?: LinkPlan[];
  /** Hours from publication to each attributed signup (the first one closes the loop). */
  signupsAfterHours?: number[];
  /** How many of those signups activate, and how many of them pay. */
  activations?: number;
  paid?: number;
};

/**
 * Twelve weeks of a small tenant's loop: 18 recaps, 14 of them published, in all five languages.
 * Eight published recaps brought 10 signups, so the multiplier is 0.71 with a 95 % interval of
 * about 0.34–1.31: the dashboard's verdict is honestly "too early to tell".
 */
const PLAN: RecapPlan[] = [
  {
    account: "nordlicht-gmbh",
    weeksAgo: 11.8,
    fate: "published",
    links: [
      { channel: "linkedin", humans: 14, bots: 3, shareStarts: 2, repeat: true },
      { channel: "email", humans: 4 },
    ],
    signupsAfterHours: [20, 70],
    activations: 1,
    paid: 1,
  },
  {
    account: "team-5",
    weeksAgo: 11.2,
    fate: "published",
    links: [{ channel: "linkedin", humans: 6, bots: 2, shareStarts: 1 }],
    signupsAfterHours: [30],
    activations: 1,
  },
  {
    account: "harbor-labs",
    weeksAgo: 10.5,
    fate: "published",
    links: [{ channel: "linkedin", humans: 3, bots: 2, shareStarts: 1 }],
  },
  {
    account: "fjord-ab",
    weeksAgo: 9.7,
    fate: "published",
    links: [
      { channel: "linkedin", humans: 9, bots: 1, shareStarts: 1 },
      { channel: "copy", humans: 2 },
    ],
    signupsAfterHours: [75],
  },
  { account: "team-6", weeksAgo: 9.1, fate: "published", links: [{ channel: "email", humans: 2 }] },
  {
    account: "aurora-logistics",
    weeksAgo: 8.4,
    fate: "published",
    links: [
      { channel: "linkedin", humans: 11, bots: 2, shareStarts: 2 },
      { channel: "x", humans: 3, bots: 1 },
    ],
    signupsAfterHours: [9, 28],
    activations: 1,
  },
  { account: "team-7", weeksAgo: 7.6, fate: "published", links: [{ channel: "linkedin", humans: 0, shareStarts: 1 }] },
  {
    account: "team-8",
    weeksAgo: 6.9,
    fate: "published",
    links: [{ channel: "linkedin", humans: 5, bots: 1, shareStarts: 1 }],
    signupsAfterHours: [48],
    activations: 1,
    paid: 1,
  },
  { account: "team-9", weeksAgo: 6.1, fate: "published" },
  {
    account: "team-10",
    weeksAgo: 5.4,
    fate: "published",
    links: [{ channel: "linkedin", humans: 7, bots: 2, shareStarts: 1 }],
    signupsAfterHours: [0.7],
  },
  { account: "team-11", weeksAgo: 4.6, fate: "published", links: [{ channel: "linkedin", humans: 2, bots: 1 }] },
  {
    account: "team-12",
    weeksAgo: 3.9,
    fate: "published",
    links: [
      { channel: "linkedin", humans: 8, bots: 2, shareStarts: 1 },
      { channel: "email", humans: 3 },
    ],
    signupsAfterHours: [5],
    activations: 1,
  },
  { account: "team-13", weeksAgo: 3.1, fate: "published", links: [{ channel: "copy", humans: 1 }] },
  {
    account: "team-14",
    weeksAgo: 2.4,
    fate: "published",
    links: [{ channel: "linkedin", humans: 4, bots: 1, shareStarts: 1 }],
    signupsAfterHours: [26],
  },
  { account: "team-15", weeksAgo: 1.8, fate: "approved" },
  { account: "team-16", weeksAgo: 1.2, fate: "approved" },
  { account: "team-17", weeksAgo: 0.6, fate: "pending_review" },
  { account: "team-18", weeksAgo: 0.3, fate: "pending_review" },
];

const BROWSERS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
];
const REDIRECT_BOTS = [
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  "curl/8.5.0",
];
const LINKEDIN_BOT = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)";
const REFERRER: Record<ShareChannel, string | null> = {
  linkedin: "www.linkedin.com",
  x: "t.co",
  email: null,
  copy: null,
  other: null,
};
const COUNTRY: Record<string, string> = { en: "GB", fi: "FI", de: "DE", sv: "SE", et: "EE" };

export type DemoLoopHistory = { recaps: number; published: number; clicks: number; conversions: number };

/** Runs `task` over `items`, at most `limit` at a time, keeping the items' order in the results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Seeds the demo tenant's last twelve weeks through the product's own use cases, each with the
 * clock set to when it happened: recaps generated, drafted (by the templates: an LLM configured
 * for real use should not be called 18 times at start-up), approved by the demo reviewer,
 * published by the end customer (cards and PDF rendered, as publishing requires), shared on
 * several channels, clicked by people and bots, and converted. Every recap's origin is
 * `{type: "demo"}`, which the analytics report as `demoRecapsIncluded`.
 *
 * Recaps are independent, so they are prepared a few at a time and published two at a time (the
 * renderer's pool has a thread per core): rendering 56 cards and PDFs is most of the seed's time,
 * which `serve` spends in the background and the tests wait for.
 */
export async function seedDemoLoopHistory(
  deps: Deps,
  input: { tenantId: string; reviewer: { id: string; name: string } },
): Promise<DemoLoopHistory> {
  const tenant = await getTenant(deps.db, input.tenantId);
  const now = deps.clock.now().getTime();
  const drafter = createTemplateDrafter();
  const reviewer: Actor = { type: "admin", id: input.reviewer.id, name: input.reviewer.name };
  const customer: Actor = { type: "customer", id: null, name: "end customer (demo)" };
  const at = (ms: number) => ({ ...deps, clock: fixedClock(new Date(Math.min(ms, now - 60_000))) });
  const tally: DemoLoopHistory = { recaps: 0, published: 0, clicks: 0, conversions: 0 };

  /** Generated, drafted and (unless it waits for review) approved: the recap's id, version and locale. */
  const prepare = async (plan: RecapPlan) => {
    const generatedAt = now - plan.weeksAgo * WEEK;
    const account = await getAccountByExternalId(deps.db, tenant.id, plan.account);
    const locale = (account.locale ?? "en") as SupportedLocale;
    const created = await createRecap(at(generatedAt), {
      tenant,
      account,
      quarter: lastFullQuarter(new Date(generatedAt), account.timeZone),
      kind: "quarterly",
      locale,
      origin: { type: "demo" },
    });
    if (created.status !== "created") return null;
    tally.recaps++;
    const { id: recapId } = created.recap;
    // The queued draft job then finds the recap drafted and does nothing.
    await draftRecap({ ...at(generatedAt + 3 * 60_000), drafter }, { recapId, tenantId: tenant.id });
    const drafted = await getRecap(deps.db, tenant.id, recapId);
    if (plan.fate === "pending_review" || drafted.state !== "pending_review") return null;
    const approvedAt = generatedAt + 5 * HOUR;
    const approved = await approveRecap(
      at(approvedAt),
      { tenantId: tenant.id, recapId, actor: reviewer, expectedVersion: drafted.version },
      null,
    );
    return plan.fate === "published" ? { plan, recapId, locale, approvedAt, version: approved.version } : null;
  };
  const prepared = (await mapLimited(PLAN, 3, prepare)).filter((recap) => recap !== null);

  const published = await mapLimited(prepared, 2, async (recap) => {
    const publishedAt = recap.approvedAt + 26 * HOUR;
    const { version } = await publishRecap(
      at(publishedAt),
      { tenantId: tenant.id, recapId: recap.recapId, actor: customer, expectedVersion: recap.version },
      undefined,
    );
    tally.published++;
    return { ...recap, publishedAt, version };
  });

  let visitor = 0;
  let person = 0;
  for (const { plan, recapId, locale, publishedAt, version } of published) {
    const links = [];
    for (const [index, linkPlan] of (plan.links ?? []).entries()) {
      const linkedAt = publishedAt + (10 + index * 90) * 60_000;
      const link = await createShareLink(deps.db, {
        tenantId: tenant.id,
        recapId,
        channel: linkPlan.channel,
        recapVersion: version,
        createdAt: new Date(Math.min(linkedAt, now - 60_000)),
      });
      links.push(link);
      tally.clicks += recordClicks(deps, tenant, link, linkPlan, linkedAt, locale, () => visitor++);
    }

    const ref = links.find((link) => link.channel === "linkedin")?.code ?? links[0]?.code;
    if (!ref) continue;
    for (const [index, hours] of (plan.signupsAfterHours ?? []).entries()) {
      const signedUpAt = publishedAt + hours * HOUR;
      const externalUserId = `demo-sample-${++person}`;
      const conversions: { type: "signup" | "activation" | "paid"; at: number; value?: number }[] = [
        { type: "signup", at: signedUpAt },
      ];
      if (index < (plan.activations ?? 0)) conversions.push({ type: "activation", at: signedUpAt + 2 * DAY });
      if (index < (plan.paid ?? 0)) conversions.push({ type: "paid", at: signedUpAt + 12 * DAY, value: 790 });
      for (const conversion of conversions) {
        if (conversion.at > now) continue;
        await recordConversion(at(conversion.at), {
          tenantId: tenant.id,
          input: {
            ref,
            type: conversion.type,
            externalUserId,
            occurredAt: new Date(conversion.at).toISOString(),
            ...(conversion.value !== undefined ? { value: conversion.value, currency: tenant.currency } : {}),
          },
        });
        tally.conversions++;
      }
    }
  }
  await deps.clicks.flush();
  return tally;
}

/**
 * The requests a link got, handed to the click buffer as the redirect (and the share page, for
 * LinkedInBot) would: the buffer takes each click's time, hashes the visitor and dedupes. The
 * addresses are from the documentation ranges (RFC 5737) and never stored.
 */
function recordClicks(
  deps: Deps,
  tenant: Tenant,
  link: { code: string; recapId: string | null; channel: ShareChannel },
  plan: LinkPlan,
  linkedAt: number,
  locale: string,
  nextVisitor: () => number,
): number {
  const requests: { at: number; userAgent: string; ip: string; shareStart?: boolean }[] = [];
  for (let index = 0; index < (plan.shareStarts ?? 0); index++) {
    requests.push({
      at: linkedAt + (2 + index * 20) * 60_000,
      userAgent: LINKEDIN_BOT,
      ip: "192.0.2.10",
      shareStart: true,
    });
  }
  for (let index = 0; index < plan.humans; index++) {
    const n = nextVisitor();
    const request = {
      // The first within the hour of posting, then spread over the following days.
      at: linkedAt + 10 * 60_000 + index * index * 2.5 * HOUR,
      userAgent: BROWSERS[n % BROWSERS.length] as string,
      ip: `${n < 250 ? "203.0.113" : "198.51.100"}.${(n % 250) + 1}`,
    };
    if (plan.repeat && index === 0) {
      // The same person twice within one clock hour (the next after posting, so it cannot straddle
      // two): both requests stored, one counted (one per visitor, link and UTC hour).
      const hour = Math.floor(linkedAt / HOUR) * HOUR + HOUR;
      requests.push({ ...request, at: hour + 5 * 60_000 }, { ...request, at: hour + 25 * 60_000 });
    } else requests.push(request);
  }
  for (let index = 0; index < (plan.bots ?? 0); index++) {
    requests.push({
      at: linkedAt + (30 + index * 200) * 60_000,
      userAgent: REDIRECT_BOTS[index % REDIRECT_BOTS.length] as string,
      ip: "192.0.2.20",
    });
  }
  const now = deps.clock.now().getTime();
  let recorded = 0;
  for (const request of requests) {
    if (request.at > now) continue;
    const verdict = classifyRequest({ method: "GET", userAgent: request.userAgent });
    deps.clicks.record({
      code: link.code,
      tenantId: tenant.id,
      recapId: link.recapId,
      at: new Date(request.at),
      method: "GET",
      ip: request.ip,
      userAgent: request.userAgent,
      optOut: false,
      referrerHost: verdict.isBot ? null : REFERRER[link.channel],
      country: verdict.isBot ? null : (COUNTRY[locale] ?? null),
      isBot: verdict.isBot,
      botReason: verdict.reason,
      shareStarted: (request.shareStart ?? false) && verdict.previewFetcher === "linkedin",
    });
    recorded++;
  }
  return recorded;
}
