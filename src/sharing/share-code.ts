import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 12 base62 characters: about 71 bits, far beyond guessing or enumerating. */
export const SHARE_CODE_LENGTH = 12;
export const SHARE_CODE_PATTERN = /^[0-9A-Za-z]{10,32}$/;

/** A share code from crypto.randomBytes, without modulo bias (bytes ≥ 248 are thrown away). */
export function newShareCode(length = SHARE_CODE_LENGTH): string {
  let code = "";
  while (code.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && code.length < length) code += ALPHABET[byte % 62];
    }
  }
  return code;
}
