/** The events a tenant can subscribe an endpoint to. */
export const WEBHOOK_EVENT_TYPES = [
  "recap.drafted",
  "recap.approved",
  "recap.published",
  "recap.rejected",
  "recap.unpublished",
  "loop.completed",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by `POST /v1/webhooks/{id}/test`, to that one endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const DELIVER_WEBHOOK_JOB = "webhooks.deliver";

/** What a delivery job carries: which message to which endpoint, and the how-manieth attempt it is. */
export type DeliverWebhookData = {
  tenantId: string;
  endpointId: string;
  messageId: string;
  attempt: number;
  /** A one-off attempt (redelivery or test) that schedules no automatic retries. */
  oneOff?: "manual" | "test";
};
