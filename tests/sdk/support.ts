import { lastFullQuarter, quarterRange } from "../../src/usage/period.js";

/** A quarter of weekday activity for one account: enough usage for a recap to pass the data gate. */
export function quarterOfEvents(account: string, now: Date, perDay = 4) {
  const range = quarterRange(lastFullQuarter(now, "UTC"), "UTC");
  const events: { account: string; event: string; quantity: number; occurred_at: string; event_id: string }[] = [];
  for (let day = range.start.getTime(); day < range.end.getTime(); day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let run = 0; run < perDay; run++) {
      const at = new Date(day + (8 + run) * 3_600_000).toISOString();
      events.push({ account, event: "automation.run", quantity: 1, occurred_at: at, event_id: `${account}-${at}` });
    }
  }
  return events;
}

/** A sleep that waits for nothing and remembers what it was asked to wait. */
export function recordingSleep() {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}
