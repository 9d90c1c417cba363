import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recapLastQuarter } from "../../examples/sdk-integration.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { makeTenantWithKey } from "../support/factories.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";
import { quarterOfEvents } from "./support.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

let t: TestContext;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  t = await createTestContext();
  await t.startWorkers();
  server = await listen(t.app);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe("the README's SDK example", () => {
  it("is examples/sdk-integration.ts word for word", () => {
    // Everything after the file's first line (the comment that points here) is in the README.
    const example = read("examples/sdk-integration.ts").split("\n").slice(1).join("\n").trim();
    expect(read("README.md")).toContain(example);
  });

  it("creates the account, sends a quarter of events and gets a drafted recap from a started service", async () => {
    const { tenant, key } = await makeTenantWithKey(t.deps, [
      "accounts:write",
      "events:write",
      "recaps:write",
      "recaps:read",
    ]);
    for (const { key: metric, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, tenant.id, metric, input);
    const events = quarterOfEvents("kide-analytics", t.deps.clock.now());
    const { sent, recap } = await recapLastQuarter(server.url, key, events);
    expect(sent).toEqual({ batches: 1, received: events.length, inserted: events.length, duplicates: 0 });
    expect(recap.state).toBe("pending_review");
    expect(recap.account.externalId).toBe("kide-analytics");
    expect(recap.locale).toBe("fi");
  }, 60_000);
});
