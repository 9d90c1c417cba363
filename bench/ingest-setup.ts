import { serve } from "@hono/node-server";
import { createApp } from "../src/app.js";
import type { Deps } from "../src/deps.js";
import { SCOPES } from "../src/platform/auth/scopes.js";
import { createApiKey } from "../src/platform/tenancy/api-keys.js";
import { createTenant, type Tenant } from "../src/platform/tenancy/tenants.js";
import { upsertAccount } from "../src/usage/accounts.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../src/usage/value-model.js";

/** The service's app on a free loopback port, as the ingest benchmarks call it over HTTP. */
export function listenForBench(deps: Deps): Promise<{ url: string; close(): void }> {
  return new Promise((resolve) => {
    const running = serve({ fetch: createApp(deps).fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => running.close() }),
    );
  });
}

/** A tenant with every scope's key, the default value model and 30 accounts (`acct-0` … `acct-29`). */
export async function seedIngestTenant(deps: Deps): Promise<{
  tenant: Tenant;
  key: string;
  externalIds: string[];
  accountIds: Map<string, string>;
}> {
  const tenant = await createTenant(deps.db, deps.queue, { name: "Bench", slug: "bench" });
  const { key } = await createApiKey(deps.db, { tenantId: tenant.id, name: "bench", scopes: [...SCOPES] });
  for (const { key: metricKey, input } of DEFAULT_VALUE_MODEL) await upsertMetric(deps.db, tenant.id, metricKey, input);
  const externalIds = Array.from({ length: 30 }, (_, index) => `acct-${index}`);
  const accountIds = new Map<string, string>();
  for (const externalId of externalIds) {
    const { account } = await upsertAccount(deps.db, tenant.id, externalId, {
      name: externalId,
      timeZone: "Europe/Tallinn",
      segment: "growth",
      consent: { publicRecap: true, peerComparison: true },
    });
    accountIds.set(externalId, account.id);
  }
  return { tenant, key, externalIds, accountIds };
}
