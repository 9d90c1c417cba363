import { Webhook, WebhookVerificationError } from "standardwebhooks";

/** The event types a webhook endpoint receives (see docs/webhooks.md). */
export type WebhookEventType =
  | "recap.drafted"
  | "recap.approved"
  | "recap.published"
  | "recap.rejected"
  | "recap.unpublished"
  | "loop.completed"
  | "webhook.test";

/** The body of every delivery: what happened, when, and the ids a receiver acts on. */
export type WebhookEvent = {
  type: WebhookEventType;
  /** When the event happened (ISO 8601); the `webhook-timestamp` header is when it was sent. */
  timestamp: string;
  data: Record<string, unknown>;
};

export { WebhookVerificationError };

/**
 * Checks an incoming delivery's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) against the endpoint's secret (`whsec_…`) and returns the parsed event.
 * Pass the raw body exactly as received, before any JSON parsing. Throws
 * `WebhookVerificationError` for a bad signature, or a timestamp more than 5 minutes off (a replay).
 * Deduplicate on the `webhook-id` header: a retried delivery carries the same one.
 */
export function verifyWebhook(
  secret: string,
  rawBody: string | Uint8Array,
  headers: Headers | Record<string, string | string[] | undefined>,
): WebhookEvent {
  const plain: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      plain[name] = value;
    });
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) plain[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  // A Node Buffer is a Uint8Array: the bytes are signed as they came.
  return new Webhook(secret).verify(rawBody, plain) as WebhookEvent;
}
