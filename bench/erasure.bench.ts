import { pathToFileURL } from "node:url";
import { createTenant } from "../src/platform/tenancy/tenants.js";
import { eraseAccount } from "../src/privacy/erase-account.js";
import { upsertAccount } from "../src/usage/accounts.js";
import { type BenchRow, benchDeps, timed } from "./support.js";

const EVENTS = Number(process.env.BENCH_ERASURE_EVENTS ?? 1_000_000);

/**
 * How long erasing an account with a million events takes, beside the bare DELETE of the same
 * number of events of an identical account: the rest of the erasure (rollups, recaps, tallies,
 * cache sweep) should add little. Both run on a table that also holds another account's events.
 */
export async function benchErasure(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  try {
    const tenant = await createTenant(deps.db, deps.queue, { name: "Bench", slug: "bench-erasure" });
    const account = (externalId: string) =>
      upsertAccount(deps.db, tenant.id, externalId, {
        name: externalId,
        timeZone: "UTC",
        consent: { publicRecap: true, peerComparison: true },
      });
    const ids: string[] = [];
    for (const externalId of ["erased", "baseline", "bystander"]) {
      const { account: row } = await account(externalId);
      ids.push(row.id);
      // Shaped like real usage: four event kinds over a quarter, a property on every fourth event.
      await deps.sql`
        insert into usage_events (tenant_id, account_id, event, quantity, occurred_at, event_id, properties)
        select ${tenant.id}, ${row.id},
          (array['automation.run','validation.blocked','invoice.discount_captured','user.active'])[1 + i % 4],
          1 + i % 7, now() - (i % 7776000) * interval '1 second', ${externalId} || '-' || i,
          case when i % 4 = 3 then jsonb_build_object('user_id', 'u' || i % 40) end
        from generate_series(1, ${EVENTS}) as i`;
      await deps.sql`
        insert into usage_rollups (account_id, event, bucket, tenant_id, count, sum, max)
        select account_id, event, to_timestamp(floor(extract(epoch from occurred_at) / 900) * 900), tenant_id,
          count(*), sum(quantity), max(quantity)
        from usage_events where account_id = ${row.id} group by 1, 2, 3, 4`;
    }
    await deps.sql`vacuum analyze usage_events`;
    await deps.sql`vacuum analyze usage_rollups`;

    const baseline = await timed(() =>
      deps.sql.begin((tx) => tx`delete from usage_events where account_id = ${ids[1] as string}`),
    );
    const erasure = await timed(() => eraseAccount(deps, tenant.id, "erased"));
    if (erasure.result?.events !== EVENTS) throw new Error(`erased ${erasure.result?.events} events`);
    const seconds = (ms: number) => Math.round(ms) / 1000;
    return [
      {
        name: `erase an account with ${EVENTS.toLocaleString("en")} events`,
        value: seconds(erasure.ms),
        unit: "s",
        baselineName: "bare DELETE of as many events",
        baselineValue: seconds(baseline.ms),
        ratio: baseline.ms / erasure.ms,
        aim: "close to the bare DELETE; one transaction is fine at this size",
      },
    ];
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchErasure()) console.log(row);
  process.exit(0);
}
