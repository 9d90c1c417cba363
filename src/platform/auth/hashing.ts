import { createHash, randomBytes } from "node:crypto";

export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

/** An unguessable token for cookies, CSRF and keys: 32 random bytes, URL-safe. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");
