import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";
/** How long the previous secret keeps signing after a rotation. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** A Standard Webhooks secret: `whsec_` + base64 of 24 random bytes (192 bits). */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString("base64")}`;
}

/** The secrets that sign at `now`: the current one, and the previous one until it expires. */
export function activeSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
): string[] {
  const previousValid =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    endpoint.previousSecretExpiresAt.getTime() > now.getTime();
  return previousValid ? [endpoint.secret, endpoint.previousSecret as string] : [endpoint.secret];
}

/**
 * `webhook-signature` per the Standard Webhooks spec: for each secret, `v1,` + base64 of
 * HMAC-SHA256 over `{id}.{timestamp}.{body}` keyed with the base64-decoded secret; space-separated.
 */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string) {
  const signed = `${id}.${timestampSeconds}.${body}`;
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
      return `v1,${createHmac("sha256", key).update(signed).digest("base64")}`;
    })
    .join(" ");
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `msg_` + a ULID (48-bit milliseconds + 80 random bits, Crockford base32): unique and time-sortable. */
export function newMessageId(now: Date): string {
  let time = now.getTime();
  let timePart = "";
  for (let index = 0; index < 10; index++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const bytes = randomBytes(16);
  let randomPart = "";
  for (const byte of bytes) randomPart += CROCKFORD[byte % 32];
  return `msg_${timePart}${randomPart}`;
}
