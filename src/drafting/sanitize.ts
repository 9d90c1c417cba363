import { stripInvisible } from "../platform/text/clean-name.js";

/**
 * Invisible characters (see src/platform/text/clean-name.ts for which and why) are stripped from
 * everything customer-supplied before it reaches a drafter, and from everything a drafter returns
 * before it is stored; emoji sequences keep their joiners.
 */
export { stripInvisible };

/** Customer-supplied text on one line, stripped and trimmed, cut to `max` characters. */
export function cleanLine(text: string, max = 200): string {
  return Array.from(stripInvisible(text).replace(/\s+/g, " ").trim()).slice(0, max).join("");
}

/** Strips invisible characters from every string in a JSON-like value. */
export function stripInvisibleDeep<T>(value: T): T {
  if (typeof value === "string") return stripInvisible(value) as T;
  if (Array.isArray(value)) return value.map(stripInvisibleDeep) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stripInvisibleDeep(item)])) as T;
  return value;
}
