import type { MiddlewareHandler } from "hono";
import { ProblemError } from "./problem.js";

/**
 * How deep a request body may nest objects and arrays. JSON.parse copes with any depth, but the
 * recursive code after it (zod, JSON.stringify, jsonb) overflows the stack at some thousands of
 * levels and the request would end in a 500. No body this API takes comes near this.
 */
export const MAX_BODY_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const JSON_TYPES = /^application\/(?:[\w.+-]*\+)?(?:json|x-ndjson|ndjson)\b/i;

/**
 * Whether JSON text nests deeper than `limit`, found in one pass over the bytes without parsing
 * (so without recursion). Strings are skipped whole with the native indexOf, so brackets inside
 * them do not count and a 16 MiB batch, mostly strings, is scanned in a few milliseconds.
 * NDJSON lines are counted alike. Malformed text is left for the parser to refuse.
 */
export function jsonNestsDeeperThan(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = closingQuote(bytes, index);
      if (index < 0) return false;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
    index++;
  }
  return false;
}

/** The index of the quote that closes the string opening at `open` (one not escaped), or -1. */
function closingQuote(bytes: Uint8Array, open: number): number {
  let candidate = bytes.indexOf(QUOTE, open + 1);
  while (candidate > 0) {
    let backslashes = 0;
    while (bytes[candidate - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return candidate;
    candidate = bytes.indexOf(QUOTE, candidate + 1);
  }
  return -1;
}

/** Whether a parsed value nests objects and arrays deeper than `limit`; iterative, so any depth is safe. */
export function valueNestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Refuses a JSON or NDJSON body nested deeper than `maxDepth` with a 400 before anything parses it. */
export function limitJsonDepth(maxDepth = MAX_BODY_DEPTH): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.raw.body && JSON_TYPES.test(c.req.header("content-type") ?? "")) {
      // Hono caches the body: the validators that run later read the same bytes.
      if (jsonNestsDeeperThan(new Uint8Array(await c.req.arrayBuffer()), maxDepth)) {
        throw new ProblemError({
          status: 400,
          code: "validation_failed",
          detail: `The body nests objects and arrays more than ${maxDepth} levels deep.`,
          errors: [{ path: "(body)", message: `nests more than ${maxDepth} levels deep` }],
        });
      }
    }
    await next();
  };
}
