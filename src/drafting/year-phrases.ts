import { getI18n } from "../i18n/i18n.js";
import type { Phrasebook } from "./template-phrases.js";

/**
 * The year in review reads the sentences under `year.` in locales/<lng>/copy.json where there are
 * any ("That is +12 % on the same months last year" instead of "… on last quarter"), and every
 * other sentence as a quarterly recap does. Only the phrases that speak of a quarter need a year form.
 */
export function preferYearPhrases(book: Phrasebook): Phrasebook {
  return preferPhrasesUnder(book, "year");
}

/**
 * A milestone over a trailing window reads the sentences under `window.` the same way: its change
 * is against the period of the same length before ("on the period before"), never "last quarter".
 */
export function preferWindowPhrases(book: Phrasebook): Phrasebook {
  return preferPhrasesUnder(book, "window");
}

function preferPhrasesUnder(book: Phrasebook, prefix: "year" | "window"): Phrasebook {
  const i18n = getI18n();
  const yearKey = (namespace: Parameters<Phrasebook["has"]>[0], key: string) =>
    i18n.getResource(book.locale, namespace, `${prefix}.${key}`) === undefined ? key : `${prefix}.${key}`;
  return {
    locale: book.locale,
    pick: (namespace, key, slot, vars, max) => book.pick(namespace, yearKey(namespace, key), slot, vars, max),
    pickFrame: (namespace, key, slot, vars, max, avoid) =>
      book.pickFrame(namespace, yearKey(namespace, key), slot, vars, max, avoid),
    one: (namespace, key, vars) => book.one(namespace, yearKey(namespace, key), vars),
    has: (namespace, key) => book.has(namespace, key),
  };
}
