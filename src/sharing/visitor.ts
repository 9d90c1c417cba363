import { createHmac, hash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { sharingSecrets } from "./sharing.schema.js";

const SECRET_NAME = "visitor_hash_salt";

/**
 * The service-wide secret behind the visitor salts, created once (the first instance to insert
 * it wins; every instance reads the same row). It never leaves the database and this process.
 */
export async function loadVisitorSecret(db: DbExecutor): Promise<string> {
  await db
    .insert(sharingSecrets)
    .values({ name: SECRET_NAME, secret: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db
    .select({ secret: sharingSecrets.secret })
    .from(sharingSecrets)
    .where(eq(sharingSecrets.name, SECRET_NAME));
  if (!row) throw new Error("the visitor-hash secret could not be created");
  return row.secret;
}

/** The UTC day ("2025-04-01") a click belongs to; the salt rotates with it. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The salt of one UTC day: HMAC(secret, day). Yesterday's hashes cannot be linked to today's. */
export function dailySalt(secret: string, day: string): string {
  return createHmac("sha256", secret).update(`visitor:${day}`).digest("base64url");
}

/** SHA-256(daily salt + IP + user agent): the same visitor within a day, never who they are. */
export function visitorHash(salt: string, ip: string, userAgent: string): string {
  // crypto.hash: the one-shot form, without a Hash object per click.
  return hash("sha256", `${salt}\n${ip}\n${userAgent}`, "hex");
}

/** SHA-256(daily salt + IP): the client address for the per-address visitor cap, never the address itself. */
export function addressHash(salt: string, ip: string): string {
  return hash("sha256", `${salt}\naddress\n${ip}`, "hex");
}

/** The start of the UTC hour of `at`: the dedupe window. */
export function hourBucket(at: Date): Date {
  return new Date(hourStart(at.getTime()));
}

/** hourBucket in epoch milliseconds. */
export function hourStart(epochMs: number): number {
  return Math.floor(epochMs / 3_600_000) * 3_600_000;
}
