export type { components, operations, paths } from "./api.gen.js";
export { type ClientOptions, createOutcomeRecapClient, type OutcomeRecapClient } from "./client.js";
export { asProblem, OutcomeRecapError, type Problem } from "./problem.js";
export {
  type BatchResult,
  MAX_EVENTS_PER_BATCH,
  type SendEventsOptions,
  type SendEventsResult,
  sendEvents,
  type UsageEvent,
} from "./send-events.js";
export type { Clock, Sleep } from "./timing.js";
export {
  type Recap,
  type RecapState,
  RecapWaitTimeout,
  type WaitForRecapOptions,
  waitForRecap,
} from "./wait-for-recap.js";
export { verifyWebhook, type WebhookEvent, type WebhookEventType, WebhookVerificationError } from "./webhooks.js";
