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
 * A year still running (year to date) reads the sentences under `yearSoFar.` before those under
 * `year.`: a frame that speaks of the year as done ("2026 was that kind of year", "What … delivered
 * in 2026") has a wording for a year under way ("is shaping up to be one", "has delivered … so far").
 * Wraps a book that already prefers the year's phrases; a finished year keeps its past tense.
 */
export function preferYearSoFarPhrases(yearBook: Phrasebook): Phrasebook {
  return preferPhrasesUnder(yearBook, "yearSoFar");
}

/**
 * A milestone over a trailing window reads the sentences under `window.` the same way: its change
 * is against the period of the same length before ("on the period before"), never "last quarter".
 */
export function preferWindowPhrases(book: Phrasebook): Phrasebook {
  return preferPhrasesUnder(book, "window");
}

function preferPhrasesUnder(book: Phrasebook, prefix: "year" | "yearSoFar" | "window"): Phrasebook {
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
