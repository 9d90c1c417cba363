import { z } from "@hono/zod-openapi";
import { isKnownCurrency, isSupportedLocale, SUPPORTED_LOCALES } from "../../i18n/locales.js";
import { isTimeZone, printableNameSchema } from "../../usage/account-input.js";
import type { AccountProfile } from "../../usage/accounts.js";
import { MAX_EVENT_AGE_MS, type UsageEventInput, usageEventSchema } from "../../usage/event-input.js";

/** Segment's documented limits: 32 KB a message (a single call, or one message in a batch) and 500 KB a batch. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

/**
 * One message of Segment's HTTP tracking API. The format is Segment's, not ours, so the object is
 * open: clients add fields (`_metadata`, `channel`, `integrations`, …) we do not read, and refusing
 * them would break every Segment-compatible SDK. Only the fields we read are typed.
 */
export const segmentMessageSchema = z
  .looseObject({
    type: z
      .string()
      .optional()
      .describe("track, group or identify; others (page, screen, alias) are accepted and ignored."),
    messageId: z.string().max(200).optional().describe("Stored as the event's event_id: a resent message counts once."),
    userId: z.union([z.string(), z.number()]).optional(),
    anonymousId: z.union([z.string(), z.number()]).optional(),
    event: z.string().optional().describe("track: the event name, stored as given."),
    groupId: z.union([z.string(), z.number()]).optional().describe("group: the account's external id."),
    properties: z.record(z.string(), z.unknown()).optional(),
    traits: z.record(z.string(), z.unknown()).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    timestamp: z.string().optional(),
    originalTimestamp: z.string().optional(),
  })
  .openapi("SegmentMessage");

export type SegmentMessage = z.infer<typeof segmentMessageSchema>;

export const segmentBatchSchema = z
  .looseObject({
    batch: z.array(z.unknown()).describe("Messages (SegmentMessage), each with its `type`."),
    context: z.record(z.string(), z.unknown()).optional().describe("Merged into every message's context."),
  })
  .openapi("SegmentBatch");

/** Why a message was not stored: reported per message, never failing the batch. */
export type Refusal = { index: number; messageId?: string; type?: string; code: RefusalCode; reason: string };
export type RefusalCode =
  | "message_too_large"
  | "invalid_message"
  | "no_account"
  | "unknown_account"
  | "needs_accounts_scope"
  | "invalid_trait";

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;

/** Where a track's account comes from, in order: context.groupId, properties.account_id, the user's last group. */
export function explicitAccount(message: SegmentMessage): string | undefined {
  return text(message.context?.groupId) ?? text(message.properties?.account_id);
}

export function userKey(message: SegmentMessage): string | undefined {
  return text(message.userId);
}

/** A track as a usage event for `account`, or why it cannot be one. */
export function trackToUsageEvent(
  message: SegmentMessage,
  account: string,
  now: Date,
): { event: UsageEventInput } | { refused: string } {
  const occurredAt = message.timestamp ?? message.originalTimestamp ?? now.toISOString();
  const quantity = message.properties?.quantity;
  const candidate = {
    account,
    event: message.event,
    quantity: typeof quantity === "number" && Number.isFinite(quantity) ? quantity : 1,
    occurred_at: occurredAt,
    ...(message.messageId !== undefined ? { event_id: message.messageId } : {}),
    ...(message.properties ? { properties: message.properties } : {}),
  };
  const parsed = usageEventSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") === "occurred_at" ? "timestamp" : (issue?.path.join(".") ?? "");
    return { refused: `${field} ${issue?.message ?? "is invalid"}`.trim() };
  }
  if (Math.abs(Date.parse(parsed.data.occurred_at) - now.getTime()) > MAX_EVENT_AGE_MS) {
    return { refused: "timestamp must be within 5 years of now" };
  }
  return { event: parsed.data };
}

/**
 * The account fields a group call's traits give, each only when valid (an invalid one is named in
 * `invalid` and left out, the rest still apply). Locales may come as "fi-FI" or "fi_FI".
 */
export function traitsToProfile(traits: Record<string, unknown> | undefined): {
  profile: AccountProfile;
  invalid: string[];
} {
  const profile: AccountProfile = {};
  const invalid: string[] = [];
  if (!traits) return { profile, invalid };
  if (traits.name !== undefined) {
    const name = printableNameSchema(200).safeParse(traits.name);
    if (name.success) profile.name = name.data;
    else invalid.push(`name ${name.error.issues[0]?.message ?? "is invalid"}`);
  }
  const locale = text(traits.locale ?? traits.language);
  if (locale !== undefined) {
    const language = locale.split(/[-_]/)[0]?.toLowerCase() ?? "";
    if (isSupportedLocale(language)) profile.locale = language;
    else invalid.push(`locale "${locale}" is not one of ${SUPPORTED_LOCALES.join(", ")}`);
  }
  const currency = text(traits.currency);
  if (currency !== undefined) {
    if (/^[A-Z]{3}$/.test(currency.toUpperCase()) && isKnownCurrency(currency.toUpperCase())) {
      profile.currency = currency.toUpperCase();
    } else invalid.push(`currency "${currency}" is not an ISO 4217 code`);
  }
  const timeZone = text(traits.timezone ?? traits.timeZone ?? traits.time_zone);
  if (timeZone !== undefined) {
    if (isTimeZone(timeZone)) profile.timeZone = timeZone;
    else invalid.push(`time zone "${timeZone}" is not an IANA time zone`);
  }
  return { profile, invalid };
}
