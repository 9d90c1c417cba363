import { createHash } from "node:crypto";
import type { VariantPolicy } from "../platform/tenancy/tenancy.schema.js";
import type { CopyVariant } from "./drafter.types.js";

/**
 * The copy variant of a new recap. A split assigns by account, not by recap, so one customer
 * always sees the same voice and the loop analytics compare two stable groups of accounts.
 * SHA-256 of the account id, not a counter: the same on every instance and after a restart.
 */
export function chooseVariant(policy: VariantPolicy, accountId: string): CopyVariant {
  if (policy !== "split") return policy;
  const firstByte = createHash("sha256").update(accountId).digest()[0] ?? 0;
  return firstByte % 2 === 0 ? "A" : "B";
}
