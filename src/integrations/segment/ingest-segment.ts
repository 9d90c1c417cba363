import type { Deps } from "../../deps.js";
import type { Scope } from "../../platform/auth/scopes.js";
import { mergeAccountProfile, resolveAccountIds } from "../../usage/accounts.js";
import { MAX_EVENTS_PER_BATCH, type UsageEventInput } from "../../usage/event-input.js";
import { ingestEvents } from "../../usage/ingestion.js";
import {
  explicitAccount,
  MAX_MESSAGE_BYTES,
  type Refusal,
  type SegmentMessage,
  segmentMessageSchema,
  trackToUsageEvent,
  traitsToProfile,
  userKey,
} from "./segment-message.js";
import { accountsOfUsers, rememberUserAccount } from "./segment-user-accounts.js";

export type SegmentResult = {
  success: true;
  received: number;
  /** track messages stored as usage events, and those skipped because their messageId was seen before. */
  inserted: number;
  duplicates: number;
  accountsCreated: number;
  accountsUpdated: number;
  /** Messages of other types (page, screen, alias) and identify calls that name no group. */
  ignored: number;
  /** Messages not stored, each with the reason (the first 1,000); the rest of the batch is stored all the same. */
  rejected: Refusal[];
  rejectedCount: number;
  /** Messages applied in part: an invalid trait left out of an account, say. */
  warnings: Refusal[];
};

const MAX_LISTED = 1_000;

type Caller = { tenantId: string; scopes: readonly Scope[] };
type Parsed = { index: number; message: SegmentMessage };

/**
 * Takes Segment messages (a batch, or one call whose `type` the route fixes) for the caller's
 * tenant. Group and identify calls apply first, in order (a later group for a user wins), so a
 * track later in the same batch finds the account they name. Tracks become usage events through
 * the usage feature's own ingestion, in one call per 10,000. A message that cannot be stored
 * (too large, malformed, no or unknown account) is reported in `rejected` and the rest go in:
 * Segment's clients treat any non-2xx as a failed batch and resend all of it.
 */
export async function ingestSegmentMessages(
  deps: Pick<Deps, "db" | "sql" | "queue" | "usageReactions">,
  caller: Caller,
  input: { messages: readonly unknown[]; batchContext?: Record<string, unknown>; type?: string },
  now: Date,
): Promise<SegmentResult> {
  const result: SegmentResult = {
    success: true,
    received: input.messages.length,
    inserted: 0,
    duplicates: 0,
    accountsCreated: 0,
    accountsUpdated: 0,
    ignored: 0,
    rejected: [],
    rejectedCount: 0,
    warnings: [],
  };
  const reject = (refusal: Refusal) => result.rejected.push(refusal);
  const parsed: Parsed[] = [];
  for (const [index, raw] of input.messages.entries()) {
    const messageId =
      typeof (raw as SegmentMessage)?.messageId === "string" ? (raw as SegmentMessage).messageId : undefined;
    const bytes = Buffer.byteLength(JSON.stringify(raw) ?? "");
    if (bytes > MAX_MESSAGE_BYTES) {
      reject({
        index,
        ...(messageId ? { messageId } : {}),
        code: "message_too_large",
        reason: `${bytes} bytes; at most ${MAX_MESSAGE_BYTES} a message`,
      });
      continue;
    }
    const message = segmentMessageSchema.safeParse(raw);
    if (!message.success) {
      reject({
        index,
        ...(messageId ? { messageId } : {}),
        code: "invalid_message",
        reason: "is not a Segment message object",
      });
      continue;
    }
    const context = input.batchContext ? { ...input.batchContext, ...message.data.context } : message.data.context;
    const type = input.type ?? message.data.type;
    parsed.push({ index, message: { ...message.data, ...(type ? { type } : {}), ...(context ? { context } : {}) } });
  }

  for (const { index, message } of parsed) {
    if (message.type === "group") await applyGroup(deps, caller, index, message, now, result);
    else if (message.type === "identify") await applyIdentify(deps, caller, message, now, result);
    else if (message.type !== "track") result.ignored++;
  }
  await storeTracks(
    deps,
    caller.tenantId,
    parsed.filter(({ message }) => message.type === "track"),
    now,
    result,
  );
  // A batch of 5,000 tracks for an unknown account must not answer with a list as large as itself.
  result.rejectedCount = result.rejected.length;
  result.rejected = result.rejected.sort((a, b) => a.index - b.index).slice(0, MAX_LISTED);
  result.warnings = result.warnings.slice(0, MAX_LISTED);
  return result;
}

const refusalOf = (index: number, message: SegmentMessage) => ({
  index,
  ...(message.messageId ? { messageId: message.messageId } : {}),
  ...(message.type ? { type: message.type } : {}),
});

/** When a message happened, for "the latest group call wins"; the server's time when it does not say. */
function messageTime(message: SegmentMessage, now: Date): Date {
  const at = Date.parse(message.timestamp ?? message.originalTimestamp ?? "");
  return Number.isFinite(at) && at <= now.getTime() ? new Date(at) : now;
}

async function applyGroup(
  deps: Pick<Deps, "db">,
  caller: Caller,
  index: number,
  message: SegmentMessage,
  now: Date,
  result: SegmentResult,
) {
  const groupId = message.groupId === undefined ? "" : String(message.groupId);
  if (!/^[\x21-\x7e]{1,200}$/.test(groupId)) {
    result.rejected.push({
      ...refusalOf(index, message),
      code: "invalid_message",
      reason: "groupId must be 1–200 visible ASCII characters",
    });
    return;
  }
  const userId = userKey(message);
  if (userId) await rememberUserAccount(deps.db, caller.tenantId, userId, groupId, messageTime(message, now));
  const { profile, invalid } = traitsToProfile(message.traits);
  for (const reason of invalid) result.warnings.push({ ...refusalOf(index, message), code: "invalid_trait", reason });
  if (Object.keys(profile).length === 0) return;
  if (!caller.scopes.includes("accounts:write")) {
    result.warnings.push({
      ...refusalOf(index, message),
      code: "needs_accounts_scope",
      reason: "the write key needs the accounts:write scope to create or change accounts from traits",
    });
    return;
  }
  const merged = await mergeAccountProfile(deps.db, caller.tenantId, groupId, profile);
  if (!merged) {
    result.warnings.push({
      ...refusalOf(index, message),
      code: "unknown_account",
      reason: `no account "${groupId}" yet: send traits.name to create it`,
    });
  } else if (merged.created) result.accountsCreated++;
  else result.accountsUpdated++;
}

/** An identify that names the user's account (context.groupId, traits.groupId or traits.account_id) maps them. */
async function applyIdentify(
  deps: Pick<Deps, "db">,
  caller: Caller,
  message: SegmentMessage,
  now: Date,
  result: SegmentResult,
) {
  const userId = userKey(message);
  const named = message.context?.groupId ?? message.traits?.groupId ?? message.traits?.account_id;
  const account = typeof named === "string" || typeof named === "number" ? String(named) : undefined;
  if (userId && account && /^[\x21-\x7e]{1,200}$/.test(account)) {
    await rememberUserAccount(deps.db, caller.tenantId, userId, account, messageTime(message, now));
  } else result.ignored++;
}

async function storeTracks(
  deps: Pick<Deps, "db" | "sql" | "queue" | "usageReactions">,
  tenantId: string,
  tracks: Parsed[],
  now: Date,
  result: SegmentResult,
) {
  if (tracks.length === 0) return;
  const needLookup = tracks
    .filter(({ message }) => !explicitAccount(message))
    .flatMap(({ message }) => userKey(message) ?? []);
  const userAccounts = await accountsOfUsers(deps.db, tenantId, [...new Set(needLookup)]);
  const accountOf = (message: SegmentMessage) => {
    const user = userKey(message);
    return explicitAccount(message) ?? (user ? userAccounts.get(user) : undefined);
  };
  const known = await resolveAccountIds(deps.db, tenantId, [
    ...new Set(tracks.flatMap(({ message }) => accountOf(message) ?? [])),
  ]);

  const events: UsageEventInput[] = [];
  const seenMessageIds = new Set<string>();
  for (const { index, message } of tracks) {
    const account = accountOf(message);
    if (!account) {
      result.rejected.push({
        ...refusalOf(index, message),
        code: "no_account",
        reason: "no context.groupId, no properties.account_id, and no earlier group call for this userId",
      });
      continue;
    }
    if (!known.has(account)) {
      result.rejected.push({
        ...refusalOf(index, message),
        code: "unknown_account",
        reason: `no account "${account}" in this tenant`,
      });
      continue;
    }
    const mapped = trackToUsageEvent(message, account, now);
    if ("refused" in mapped) {
      result.rejected.push({ ...refusalOf(index, message), code: "invalid_message", reason: mapped.refused });
      continue;
    }
    // The usage API refuses a batch that repeats an event_id; here a repeat is simply a duplicate.
    if (mapped.event.event_id !== undefined) {
      if (seenMessageIds.has(mapped.event.event_id)) {
        result.duplicates++;
        continue;
      }
      seenMessageIds.add(mapped.event.event_id);
    }
    events.push(mapped.event);
  }
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_BATCH) {
    const stored = await ingestEvents(deps, tenantId, events.slice(start, start + MAX_EVENTS_PER_BATCH), now);
    result.inserted += stored.inserted;
    result.duplicates += stored.duplicates;
  }
}
