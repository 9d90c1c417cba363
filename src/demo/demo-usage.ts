import type { Deps } from "../deps.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { upsertAccount } from "../usage/accounts.js";
import type { UsageEventInput } from "../usage/event-input.js";
import { ingestEvents } from "../usage/ingestion.js";
import { lastFullQuarter, previousQuarter, quarterRange } from "../usage/period.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../usage/value-model.js";

/** Small deterministic PRNG (mulberry32): the demo looks the same on every machine. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type DemoAccount = { externalId: string; name: string; locale: SupportedLocale; timeZone: string; currency: string };

const NAMED: DemoAccount[] = [
  {
    externalId: "aurora-logistics",
    name: "Aurora Logistics OÜ",
    locale: "et",
    timeZone: "Europe/Tallinn",
    currency: "EUR",
  },
  {
    externalId: "kide-analytics",
    name: "Kide Analytics Oy",
    locale: "fi",
    timeZone: "Europe/Helsinki",
    currency: "EUR",
  },
  { externalId: "nordlicht-gmbh", name: "Nordlicht GmbH", locale: "de", timeZone: "Europe/Berlin", currency: "EUR" },
  { externalId: "fjord-ab", name: "Fjord Ekonomi AB", locale: "sv", timeZone: "Europe/Stockholm", currency: "SEK" },
  { externalId: "harbor-labs", name: "Harbor Labs Ltd", locale: "en", timeZone: "Europe/London", currency: "GBP" },
];

/**
 * The demo tenant's value model and two quarters of usage for 30 accounts in one segment, so a
 * recap (with a peer percentile) can be generated right after `npm start`. `languages` gives some
 * of the generic "team-N" accounts (English in Coordinated Universal Time otherwise) another
 * locale and time zone. `runsPerDay` scales the busiest event (145,000 events in all at 1): the
 * tests seed a quarter as many, which keeps every account active on the same days, the peer ranks
 * and the data gate, at a quarter of the cost.
 */
export async function seedDemoUsage(
  deps: Deps,
  tenantId: string,
  languages: Record<string, { locale: SupportedLocale; timeZone: string }> = {},
  runsPerDay = 1,
): Promise<void> {
  for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(deps.db, tenantId, key, input);
  const next = random(2026);
  const accounts: DemoAccount[] = [...NAMED];
  for (let index = accounts.length; index < 30; index++) {
    accounts.push({
      externalId: `team-${index}`,
      name: `Team ${index}`,
      locale: "en",
      timeZone: "UTC",
      currency: "EUR",
      ...languages[`team-${index}`],
    });
  }
  const now = deps.clock.now();
  for (const [index, account] of accounts.entries()) {
    await upsertAccount(deps.db, tenantId, account.externalId, {
      name: account.name,
      locale: account.locale,
      currency: account.currency,
      timeZone: account.timeZone,
      segment: "growth",
      seats: 10 + index * 3,
      subscriptionPrice: account.currency === "SEK" ? 9000 : 790,
      subscriptionPeriod: "month",
      consent: { publicRecap: true, peerComparison: true },
    });
    // The named accounts are the busiest, so their recaps show a peer rank.
    const intensity = index < NAMED.length ? 2.2 - index * 0.1 : 0.3 + next();
    const last = lastFullQuarter(now, account.timeZone);
    for (const [quarter, growth] of [
      [previousQuarter(last), 1],
      [last, 1.35],
    ] as const) {
      const range = quarterRange(quarter, account.timeZone);
      const events: UsageEventInput[] = [];
      const days = Math.round((range.end.getTime() - range.start.getTime()) / 86_400_000);
      for (let day = 0; day < days; day++) {
        const dayStart = range.start.getTime() + day * 86_400_000;
        const weekday = new Date(dayStart).getUTCDay();
        if (weekday === 0 || weekday === 6) continue;
        const at = (hour: number) =>
          new Date(dayStart + hour * 3_600_000 + Math.floor(next() * 3_600_000)).toISOString();
        const runs = Math.max(1, Math.round(intensity * growth * (18 + next() * 14) * runsPerDay));
        for (let run = 0; run < runs; run++) {
          events.push({
            account: account.externalId,
            event: "automation.run",
            quantity: 1,
            occurred_at: at(8 + (run % 9)),
          });
        }
        if (next() < 0.3 * intensity) {
          events.push({
            account: account.externalId,
            event: "validation.blocked",
            quantity: 1 + Math.floor(next() * 3),
            occurred_at: at(11),
          });
        }
        if (next() < 0.25 * intensity) {
          events.push({
            account: account.externalId,
            event: "invoice.discount_captured",
            quantity: Math.round(40 + next() * 160),
            occurred_at: at(14),
          });
        }
        for (let user = 0; user < Math.ceil(intensity * 4); user++) {
          events.push({
            account: account.externalId,
            event: "user.active",
            quantity: 1,
            occurred_at: at(9),
            properties: { user_id: `u${user + Math.floor(next() * 3)}` },
          });
        }
      }
      for (let offset = 0; offset < events.length; offset += 10_000) {
        await ingestEvents(deps, tenantId, events.slice(offset, offset + 10_000), now);
      }
    }
  }
}
