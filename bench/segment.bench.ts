import { randomUUID } from "node:crypto";
import { MAX_BATCH_BYTES } from "../src/integrations/segment/segment-message.js";
import type { UsageEventInput } from "../src/usage/event-input.js";
import { listenForBench, seedIngestTenant } from "./ingest-setup.js";
import { type BenchRow, benchDeps, median, timed } from "./support.js";

const EVENTS_PER_RUN = Number(process.env.BENCH_SEGMENT_EVENTS ?? 100_000);
const ROUNDS = 3;
const KINDS = ["automation.run", "validation.blocked", "invoice.discount_captured", "user.active"];

/** The same events, as /v1/events takes them and as @segment/analytics-node sends them. */
function makeEvents(count: number, accounts: string[], start: number, span: number) {
  return Array.from({ length: count }, (_, index) => {
    const event: UsageEventInput = {
      account: accounts[index % accounts.length] as string,
      event: KINDS[index % KINDS.length] as string,
      quantity: 1 + (index % 7),
      occurred_at: new Date(start + ((index * 7919) % span)).toISOString(),
      event_id: randomUUID(),
      properties: { quantity: 1 + (index % 7), user_id: `u${index % 40}` },
    };
    // What analytics-node puts on the wire for analytics.track({ userId, event, properties, context: { groupId } }).
    const message = {
      type: "track",
      userId: `user-${index % 400}`,
      event: event.event,
      properties: event.properties,
      context: { groupId: event.account, library: { name: "@segment/analytics-node", version: "3.1.0" } },
      timestamp: event.occurred_at,
      messageId: event.event_id,
      integrations: {},
      _metadata: { nodeVersion: process.versions.node, jsRuntime: "node" },
    };
    return { event, message };
  });
}

/** Packs messages into batches under Segment's 500 KB, with the client's own 20 KB of headroom. */
function segmentBodies(messages: unknown[]): string[] {
  const limit = MAX_BATCH_BYTES - 20 * 1024;
  const bodies: string[] = [];
  let batch: string[] = [];
  let size = 0;
  for (const message of messages) {
    const text = JSON.stringify(message);
    if (size + text.length + 64 > limit) {
      bodies.push(`{"batch":[${batch.join(",")}],"sentAt":"${new Date().toISOString()}"}`);
      batch = [];
      size = 0;
    }
    batch.push(text);
    size += text.length + 1;
  }
  if (batch.length > 0) bodies.push(`{"batch":[${batch.join(",")}],"sentAt":"${new Date().toISOString()}"}`);
  return bodies;
}

/** Two clients posting the bodies side by side, as in the /v1/events bench. */
async function postAll(url: string, authorization: string, bodies: string[]) {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
      if (text.includes('"rejected":[{')) throw new Error(`${url} rejected messages: ${text.slice(0, 300)}`);
    }
  };
  await Promise.all([worker(), worker()]);
}

export async function benchSegment(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  const server = await listenForBench(deps);
  try {
    const { key, externalIds } = await seedIngestTenant(deps);
    const now = Date.now();
    const apiRates: number[] = [];
    const segmentRates: number[] = [];
    let segmentBatches = 0;
    const stored = async () => (await deps.sql<{ n: number }[]>`select count(*)::int as n from usage_events`)[0]?.n;
    for (let round = 0; round < ROUNDS; round++) {
      const pairs = makeEvents(EVENTS_PER_RUN, externalIds, now - 80 * 86_400_000, 80 * 86_400_000);
      const apiBodies: string[] = [];
      for (let offset = 0; offset < pairs.length; offset += 10_000) {
        apiBodies.push(JSON.stringify({ events: pairs.slice(offset, offset + 10_000).map(({ event }) => event) }));
      }
      const bodies = segmentBodies(pairs.map(({ message }) => message));
      segmentBatches = bodies.length;

      await deps.sql`truncate usage_events, usage_rollups, usage_distinct_values`;
      const api = await timed(() => postAll(`${server.url}/v1/events`, `Bearer ${key}`, apiBodies));
      if ((await stored()) !== EVENTS_PER_RUN) throw new Error("/v1/events did not store every event");
      apiRates.push(EVENTS_PER_RUN / (api.ms / 1000));

      await deps.sql`truncate usage_events, usage_rollups, usage_distinct_values`;
      const basic = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
      const segment = await timed(() => postAll(`${server.url}/integrations/segment/v1/batch`, basic, bodies));
      if ((await stored()) !== EVENTS_PER_RUN) throw new Error("the Segment route did not store every event");
      segmentRates.push(EVENTS_PER_RUN / (segment.ms / 1000));
    }
    const apiRate = median(apiRates);
    const segmentRate = median(segmentRates);
    return [
      {
        name: `POST /integrations/segment/v1/batch (${segmentBatches} batches under 500 KB, 2 clients)`,
        value: Math.round(segmentRate),
        unit: "events/s",
        baselineName: "POST /v1/events, the same events in 10,000-event batches",
        baselineValue: Math.round(apiRate),
        ratio: segmentRate / apiRate,
        aim: "≥ 0.50",
      },
    ];
  } finally {
    server.close();
    await close();
  }
}
