import { Analytics, FetchHTTPClient, type HTTPClientRequest, type HTTPResponse } from "@segment/analytics-node";
import { lastFullQuarter, quarterRange } from "../../src/usage/period.js";

export const SEGMENT_PATH = "/integrations/segment/v1";

/** The real Segment client, pointed at a started service by changing the host (and the path). */
export function segmentClient(origin: string, writeKey: string, options: { httpClient?: FetchHTTPClient } = {}) {
  return new Analytics({
    writeKey,
    host: origin,
    path: `${SEGMENT_PATH}/batch`,
    flushAt: 500,
    flushInterval: 60_000,
    maxRetries: 3,
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  });
}

/**
 * A Segment HTTP client whose first request reaches the service but whose answer is lost (the client
 * sees a 503), as when a connection drops after the server stored the batch: the client must send
 * the same batch again, and the service must store it once.
 */
export class FirstAnswerLost extends FetchHTTPClient {
  lost = 0;
  requests = 0;
  override async makeRequest(options: HTTPClientRequest): Promise<HTTPResponse> {
    this.requests++;
    const response = await super.makeRequest(options);
    if (this.lost === 0) {
      this.lost++;
      return { status: 503, statusText: "Service Unavailable", headers: {} };
    }
    return response;
  }
}

export const basic = (user: string, password = "") => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** One track message and the /v1/events event it must become. */
export type Pair = {
  track: {
    userId: string;
    event: string;
    messageId: string;
    timestamp: string;
    properties: Record<string, unknown>;
    context?: { groupId: string };
  };
  event: {
    account: string;
    event: string;
    quantity: number;
    occurred_at: string;
    event_id: string;
    properties: Record<string, unknown>;
  };
};

/**
 * `count` events for `account` over last quarter, in the three ways a track finds its account:
 * context.groupId, properties.account_id, and (every third) only the user id of an earlier group call.
 */
export function quarterOfTracks(account: string, user: string, count: number, now: Date): Pair[] {
  const range = quarterRange(lastFullQuarter(now, "UTC"), "UTC");
  const span = range.end.getTime() - range.start.getTime() - 60_000;
  const names = ["automation.run", "invoice.discount_captured", "user.active", "validation.blocked"];
  return Array.from({ length: count }, (_, i) => {
    const event = names[i % names.length] as string;
    const timestamp = new Date(range.start.getTime() + Math.floor((span * i) / count)).toISOString();
    const quantity = event === "invoice.discount_captured" ? 10 + (i % 7) : 1;
    const properties: Record<string, unknown> = { quantity, user_id: `u${i % 13}` };
    const messageId = `${account}-m${i}`;
    const how = i % 3;
    if (how === 1) properties.account_id = account;
    return {
      track: {
        userId: user,
        event,
        messageId,
        timestamp,
        properties,
        ...(how === 0 ? { context: { groupId: account } } : {}),
      },
      event: { account, event, quantity, occurred_at: timestamp, event_id: messageId, properties },
    };
  });
}
