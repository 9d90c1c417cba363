import type { TOptions } from "i18next";
import { getI18n, type Namespace } from "../i18n/i18n.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { cleanLine } from "./sanitize.js";

/** The templates cannot write this recap; the drafter reports it as a failed try, with the reason. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

/** A template the drafter needs is missing from a locale file: a bug the locale tests should catch. */
export class MissingPhraseError extends TemplateError {
  override name = "MissingPhraseError";
  constructor(
    readonly locale: SupportedLocale,
    readonly key: string,
  ) {
    super(`The ${locale} locale has no phrase "${key}"`);
  }
}

/** FNV-1a, 32 bits: small, fast and the same on every machine and Node version. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export type Vars = Record<string, string | number>;

/**
 * Finnish joins a name to a word with a hyphen: "Flowbase-palvelu", but a multi-word name takes a
 * space before the hyphen: "Northwind Flows -palvelu". Templates write `{{product}}-palvelu`; this
 * puts the space in when the product's name has more than one word, before any length limit is
 * checked. Other languages' templates do not join names to words, so nothing changes for them.
 */
export function joinCompounds(text: string, vars: Vars): string {
  const product = vars.product;
  if (typeof product !== "string" || !/\s/u.test(product)) return text;
  return text.replaceAll(`${product}-`, `${product} -`);
}

export type Phrasebook = {
  readonly locale: SupportedLocale;
  /**
   * One of the alternatives listed under `key`, chosen from a hash of the recap's seed (account and
   * period), `slot` (a fact id or a part of the copy) and the key: the same recap always reads the
   * same, another account reads differently. When the chosen one is longer than `max`, the next
   * ones are tried in turn; undefined when none fits.
   */
  pick(namespace: Namespace, key: string, slot: string, vars?: Vars, max?: number): string | undefined;
  /**
   * `pick`, telling which frame (the list's entry, "copy:clause.change.rise.B.1") it chose, and
   * passing over the frames in `avoid` (the ones the recap already used): the hash's choice when it
   * is free, else the next free one that fits. Undefined when no free frame fits.
   */
  pickFrame(
    namespace: Namespace,
    key: string,
    slot: string,
    vars?: Vars,
    max?: number,
    avoid?: ReadonlySet<string>,
  ): { text: string; frame: string } | undefined;
  /** A single phrase (plural forms chosen by `count`). */
  one(namespace: Namespace, key: string, vars?: Vars & { count?: number }): string;
  has(namespace: Namespace, key: string): boolean;
};

/**
 * `shift` moves every choice on by that many alternatives: an alternative wording of the same
 * recap (shift 1, 2) reads each list's next sentence shape instead of the one shift 0 picks.
 */
export function createPhrasebook(locale: SupportedLocale, seed: string, shift = 0): Phrasebook {
  const i18n = getI18n();
  const translate = (namespace: Namespace, key: string, vars: Vars = {}): string =>
    // Plain strings in and out: no escaping (see i18n.ts), no object returns.
    joinCompounds(i18n.t(key, { ...vars, lng: locale, ns: namespace } as TOptions) as string, vars);

  const pickFrame: Phrasebook["pickFrame"] = (
    namespace,
    key,
    slot,
    vars = {},
    max = Number.POSITIVE_INFINITY,
    avoid,
  ) => {
    const entries = i18n.getResource(locale, namespace, key) as unknown;
    if (!Array.isArray(entries) || entries.length === 0) throw new MissingPhraseError(locale, `${namespace}:${key}`);
    const start = (hashText(`${seed}\u0000${slot}\u0000${key}`) + shift) % entries.length;
    for (let offset = 0; offset < entries.length; offset++) {
      const entry = `${key}.${(start + offset) % entries.length}`;
      const frame = `${namespace}:${entry}`;
      if (avoid?.has(frame)) continue;
      const text = translate(namespace, entry, vars).trim();
      if (text.length <= max) return { text, frame };
    }
    return undefined;
  };

  return {
    locale,
    pick: (namespace, key, slot, vars, max) => pickFrame(namespace, key, slot, vars, max)?.text,
    pickFrame,
    one(namespace, key, vars = {}) {
      if (!i18n.exists(key, { lng: locale, ns: namespace, ...(vars.count === undefined ? {} : { count: vars.count }) }))
        throw new MissingPhraseError(locale, `${namespace}:${key}`);
      return translate(namespace, key, vars).trim();
    },
    has(namespace, key) {
      return i18n.exists(key, { lng: locale, ns: namespace });
    },
  };
}

const MARKUP = /<\/?[a-z!][^>]*>/gi;
/** What is left of a tag that was never closed: a "<" (or a full-width one) before a letter, "!", "/" or "?". */
const TAG_START = /[<\uff1c\ufe64](?=[\p{L}!/?\uff01\uff0f\uff1f])/gu;
const LINK = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)\S*/gi;

/**
 * A customer-supplied name as the copy may print it: one clean line (`cleanLine`), without markup
 * or links (the copy schema refuses both, and a name must not be able to break a recap), at most
 * `max` characters. Empty when nothing printable is left.
 */
export function printableName(text: string, max: number): string {
  // "#" goes too: a name must not add hashtags to the LinkedIn post (three at most).
  const line = cleanLine(text, 500).replace(MARKUP, " ").replace(TAG_START, " ").replace(LINK, " ").replaceAll("#", "");
  return cleanLine(line, max).replace(/[\s,;:–-]+$/u, "");
}

/** The product as a hashtag ("#Flowbase"), or null when its name does not make a clean one. */
export function productHashtag(product: string): string | null {
  const tag = product.replace(/[^\p{L}\p{N}_]/gu, "");
  // Digits would be numbers the fact-check cannot trace to a fact.
  return tag.length >= 2 && tag.length <= 30 && !/\p{N}/u.test(tag) ? `#${tag}` : null;
}
