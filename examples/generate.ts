/**
 * Writes the example usage files for `outcome-recap render` (docs/render-cli.md):
 *
 *   npx tsx examples/generate.ts
 *
 * Three customers of "Northwind Flows", a workflow-automation product measured with the default
 * value model (automation runs, errors caught, early-payment discounts, active colleagues): two
 * quarters of daily rows each, busy on weekdays and quiet at weekends, growing through the half
 * year, with public holidays and the summer holiday dip of each country. A seeded PRNG makes the
 * output the same on every machine, so the committed JSON can be regenerated and diffed.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseQuarter, previousQuarter, quarterRange, zoneOffsetMs } from "../src/usage/period.js";
import type { DailyRow, FileEvent, UsageFileInput } from "../src/usage/usage-file.js";
import { parseUsageFile } from "../src/usage/usage-file.js";
import { DEFAULT_VALUE_MODEL } from "../src/usage/value-model.js";

/** mulberry32, as the demo seed uses: small, fast and the same everywhere. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Profile = {
  file: string;
  seed: number;
  account: UsageFileInput["account"];
  period: string;
  brand?: NonNullable<UsageFileInput["product"]["brand"]>;
  valueModel?: UsageFileInput["valueModel"];
  /** Automation runs on an ordinary weekday at the start of the previous quarter. */
  runsPerWeekday: number;
  /** Growth over the half year: 0.4 means 40 % more runs at the end than at the start. */
  growth: number;
  /** Colleagues at the start and at the end of the half year. */
  team: [number, number];
  /** Public holidays (YYYY-MM-DD): a quiet day like a Sunday. */
  holidays: string[];
  /** Summer holidays: [first date, last date, share of the usual work that still happens]. */
  summer: [string, string, number];
  /** Discounts sent as raw events (one per invoice) instead of daily rows. */
  discountsAsEvents?: boolean;
};

const PRODUCT = { name: "Northwind Flows", company: "Northwind Labs Oy" };

const PROFILES: Profile[] = [
  {
    file: "kide-analytics.fi.json",
    seed: 104,
    account: {
      name: "Kide Analytics Oy",
      locale: "fi",
      currency: "EUR",
      timeZone: "Europe/Helsinki",
      segment: "growth",
      subscription: { price: 790, period: "month" },
    },
    period: "2026-Q3",
    runsPerWeekday: 64,
    growth: 0.9,
    team: [11, 16],
    holidays: ["2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-06-19"],
    summer: ["2026-06-29", "2026-07-31", 0.45],
  },
  {
    file: "aurora-logistics.et.json",
    seed: 202,
    account: {
      name: "Aurora Logistics OÜ",
      locale: "et",
      currency: "EUR",
      timeZone: "Europe/Tallinn",
      segment: "logistics",
      subscription: { price: 2100, period: "quarter" },
    },
    period: "2026-Q3",
    brand: { primaryColor: "#12355b", accentColor: "#2bb3a3", backgroundColor: "#f4f7f9", theme: "bold" },
    // Dispatch workflows replace more manual work per run than the default model assumes.
    valueModel: DEFAULT_VALUE_MODEL.map(({ key, input }) =>
      key === "hours_saved" ? { key, ...input, multiplier: 9, hourlyRate: 32 } : { key, ...input },
    ),
    runsPerWeekday: 41,
    growth: 0.35,
    team: [7, 10],
    holidays: ["2026-04-03", "2026-05-01", "2026-06-23", "2026-06-24", "2026-08-20"],
    summer: ["2026-07-06", "2026-07-26", 0.7],
  },
  {
    file: "nordlicht-gmbh.de.json",
    seed: 303,
    account: {
      name: "Nordlicht GmbH",
      locale: "de",
      currency: "EUR",
      timeZone: "Europe/Berlin",
      segment: "growth",
      subscription: { price: 11_400, period: "year" },
    },
    period: "2026-Q2",
    runsPerWeekday: 88,
    growth: 0.3,
    team: [18, 23],
    holidays: ["2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25"],
    summer: ["2026-06-22", "2026-06-30", 0.85],
    discountsAsEvents: true,
  },
];

const DAY_MS = 86_400_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);
const round2 = (value: number) => Math.round(value * 100) / 100;

/** A local wall-clock time as ISO 8601 with the zone's offset ("2026-05-12T14:07:00+02:00"). */
function localIso(date: string, minuteOfDay: number, timeZone: string): string {
  const naive = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * 60_000;
  const offset = zoneOffsetMs(new Date(naive), timeZone);
  const sign = offset < 0 ? "-" : "+";
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${new Date(naive).toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
}

function generate(profile: Profile): UsageFileInput {
  const next = random(profile.seed);
  const quarter = parseQuarter(profile.period);
  if (!quarter) throw new Error(`bad period ${profile.period}`);
  const first = quarterRange(previousQuarter(quarter), "UTC").start.getTime();
  const end = quarterRange(quarter, "UTC").end.getTime();
  const days = Math.round((end - first) / DAY_MS);
  const holidays = new Set(profile.holidays);
  const [summerFrom, summerTo, summerShare] = profile.summer;
  const daily: DailyRow[] = [];
  const events: FileEvent[] = [];
  /** Knuth's method: fine for the small means used here. */
  const poisson = (mean: number) => {
    const limit = Math.exp(-mean);
    let count = 0;
    for (let product = next(); product > limit; product *= next()) count++;
    return count;
  };
  // Each colleague has a habit: how often they open the product on a working day.
  const habits = Array.from({ length: profile.team[1] }, () => 0.45 + next() * 0.5);
  // Week-to-week swings (a month-end close, a big customer onboarding) on top of the trend.
  let week = 1;

  for (let index = 0; index < days; index++) {
    const date = isoDate(first + index * DAY_MS);
    const weekday = new Date(first + index * DAY_MS).getUTCDay();
    if (weekday === 1) week = 0.85 + next() * 0.3;
    const t = index / (days - 1);
    const working = weekday !== 0 && weekday !== 6 && !holidays.has(date);
    const summer = date >= summerFrom && date <= summerTo ? summerShare : 1;
    const monthEnd = Number(date.slice(8)) >= 26 ? 1.15 : 1;
    const level = (1 + profile.growth * t) * week * summer * monthEnd;

    // Scheduled workflows run at weekends too, at a trickle.
    const runs = Math.round(profile.runsPerWeekday * level * (working ? 0.85 + next() * 0.3 : 0.06 + next() * 0.06));
    if (runs > 0) daily.push({ date, event: "automation.run", count: runs });

    // Errors caught and discounts captured come with the work the runs do: a few per hundred runs.
    const blocked = working ? poisson(runs * 0.0045) : 0;
    if (blocked > 0) {
      const quantities = Array.from({ length: blocked }, () => 1 + Math.floor(next() * 3));
      const sum = quantities.reduce((a, b) => a + b, 0);
      daily.push({ date, event: "validation.blocked", count: blocked, sum, max: Math.max(...quantities) });
    }

    const discounts = working ? poisson(runs * 0.0055) : 0;
    if (discounts > 0) {
      const count = discounts;
      const amounts = Array.from({ length: count }, () => round2(20 + next() * 100));
      if (profile.discountsAsEvents) {
        for (const [n, amount] of amounts.entries()) {
          events.push({
            event: "invoice.discount_captured",
            occurred_at: localIso(date, 9 * 60 + Math.floor(next() * 8 * 60), profile.account.timeZone),
            quantity: amount,
            event_id: `disc-${date}-${n + 1}`,
            properties: { invoice_id: `RE-${date.slice(0, 4)}-${String(1000 + index * 3 + n)}` },
          });
        }
      } else {
        daily.push({
          date,
          event: "invoice.discount_captured",
          count,
          sum: round2(amounts.reduce((a, b) => a + b, 0)),
          max: Math.max(...amounts),
        });
      }
    }

    const team = Math.round(profile.team[0] + (profile.team[1] - profile.team[0]) * t);
    const active: string[] = [];
    for (let user = 0; user < team; user++) {
      const chance = working ? (habits[user] ?? 0.5) * (summer < 1 ? summer + 0.1 : 1) : 0.03;
      if (next() < chance) active.push(`usr_${String(user + 1).padStart(3, "0")}`);
    }
    if (active.length > 0)
      daily.push({ date, event: "user.active", count: active.length, distinct: { user_id: active } });
  }

  return {
    product: { ...PRODUCT, ...(profile.brand ? { brand: profile.brand } : {}) },
    account: profile.account,
    period: profile.period,
    ...(profile.valueModel ? { valueModel: profile.valueModel } : {}),
    ...(events.length > 0 ? { events } : {}),
    daily,
  };
}

/** Pretty JSON, but one line per event or daily row, so the files stay short and diff well. */
function stringify(file: UsageFileInput): string {
  const lines: string[] = [];
  const entries = Object.entries(file);
  for (const [index, [key, value]] of entries.entries()) {
    const comma = index < entries.length - 1 ? "," : "";
    if ((key === "daily" || key === "events") && Array.isArray(value)) {
      const rows = value.map((row, n) => `    ${JSON.stringify(row)}${n < value.length - 1 ? "," : ""}`);
      lines.push(`  ${JSON.stringify(key)}: [`, ...rows, `  ]${comma}`);
    } else {
      const body = JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
      lines.push(`  ${JSON.stringify(key)}: ${body}${comma}`);
    }
  }
  return `{\n${lines.join("\n")}\n}\n`;
}

for (const profile of PROFILES) {
  const file = generate(profile);
  parseUsageFile(file); // an example that does not fit the schema is a bug here, not in a test
  const target = fileURLToPath(new URL(profile.file, import.meta.url));
  writeFileSync(target, stringify(file));
  console.log(`wrote examples/${profile.file}`);
}
