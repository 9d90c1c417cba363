import { describe, expect, it } from "vitest";
import { createI18n, getTranslator, loadResources, NAMESPACES } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";

const resources = loadResources();
const OTHERS = SUPPORTED_LOCALES.filter((locale) => locale !== "en");
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Leaf = string | string[];

/** "ns:a.b.c" → the string, or the list of alternatives (arrays are lists of interchangeable templates). */
function leaves(locale: string): Map<string, Leaf> {
  const found = new Map<string, Leaf>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string") found.set(path, value);
    else if (Array.isArray(value)) {
      if (!value.every((item) => typeof item === "string")) throw new Error(`${locale} ${path}: a list of non-strings`);
      found.set(path, value as string[]);
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value))
        walk(item, path.endsWith(":") ? `${path}${key}` : `${path}.${key}`);
    } else throw new Error(`${locale} ${path}: unexpected ${typeof value}`);
  };
  for (const namespace of NAMESPACES) walk(resources[locale]?.[namespace], `${namespace}:`);
  return found;
}

const LEAVES = new Map(SUPPORTED_LOCALES.map((locale) => [locale, leaves(locale)]));
const texts = (leaf: Leaf) => (Array.isArray(leaf) ? leaf : [leaf]);
const variables = (text: string) => [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]))].sort();

/** Keys grouped by their base (plural suffix removed), per locale. */
function bases(locale: string): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const key of LEAVES.get(locale as never)!.keys()) {
    const base = key.replace(PLURAL_SUFFIX, "");
    grouped.set(base, [...(grouped.get(base) ?? []), key]);
  }
  return grouped;
}

/**
 * Strings a language may legitimately share with English, each with its reason. Kept short on
 * purpose: anything else identical to English is an untranslated string.
 */
const SAME_AS_ENGLISH: Record<string, string> = {
  "et:common:generic.risk_reduced_one": '"risk" is the Estonian word as well (plural partitive "riski" differs)',
  "de:demo:name": 'the form label "Name" is the German word as well',
  // A year in running text is the bare number, as in English ("in 2026", "vuonna 2026", "under 2026").
  "et:common:period.year": "a year in Estonian running text is the bare number too",
  "fi:common:period.year": "a year in Finnish running text is the bare number too",
  "sv:common:period.year": "a year in Swedish running text is the bare number too",
};

/** The namespaces that hold copy (what goes public); the pages' own words may say "at least one". */
const COPY_NAMESPACES = ["common:", "copy:"];
const isCopy = (key: string) => COPY_NAMESPACES.some((prefix) => key.startsWith(prefix));

describe("locale files", () => {
  it("have every key in every language, with the plural forms Intl.PluralRules needs there", () => {
    const all = new Set<string>();
    for (const locale of SUPPORTED_LOCALES) for (const base of bases(locale).keys()) all.add(base);
    for (const locale of SUPPORTED_LOCALES) {
      const own = bases(locale);
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const base of all) {
        const keys = own.get(base);
        expect(keys, `${locale} is missing ${base}`).toBeDefined();
        const plural = SUPPORTED_LOCALES.some((other) =>
          bases(other)
            .get(base)
            ?.some((key) => PLURAL_SUFFIX.test(key)),
        );
        if (plural)
          expect(keys!.map((key) => key.match(PLURAL_SUFFIX)?.[1]).sort(), `${locale} ${base}`).toEqual(
            [...categories].sort(),
          );
        else expect(keys, `${locale} ${base}`).toEqual([base]);
      }
    }
  });

  it("use the same shape (single string or list) and non-empty lists in every language", () => {
    for (const [key, english] of LEAVES.get("en")!) {
      for (const locale of OTHERS) {
        const leaf = LEAVES.get(locale)!.get(key);
        if (leaf === undefined) continue; // reported by the key test
        expect(Array.isArray(leaf), `${locale} ${key}`).toBe(Array.isArray(english));
        for (const text of texts(leaf)) expect(text.trim().length, `${locale} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it("use the same interpolation variables in every language and in every alternative of a list", () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, leaf] of LEAVES.get(locale)!) {
        const sets = texts(leaf).map((text) => variables(text).join(","));
        expect(new Set(sets).size, `${locale} ${key}: alternatives use different variables: ${sets.join(" | ")}`).toBe(
          1,
        );
        const base = key.replace(PLURAL_SUFFIX, "");
        const englishKey = [...LEAVES.get("en")!.keys()].find((other) => other.replace(PLURAL_SUFFIX, "") === base);
        const english = englishKey ? LEAVES.get("en")!.get(englishKey) : undefined;
        if (english) expect(sets[0], `${locale} ${key}`).toBe(variables(texts(english)[0]!).join(","));
      }
    }
  });

  it("are translated: no string identical to the English one outside the explained list", () => {
    const untranslated: string[] = [];
    for (const locale of OTHERS) {
      for (const [key, leaf] of LEAVES.get(locale)!) {
        const english = new Set(texts(LEAVES.get("en")!.get(key) ?? []));
        for (const text of texts(leaf))
          if (english.has(text) && !SAME_AS_ENGLISH[`${locale}:${key}`]) untranslated.push(`${locale} ${key}: ${text}`);
      }
    }
    expect(untranslated).toEqual([]);
  });

  it("list only strings that really are identical as allowed to match English", () => {
    for (const entry of Object.keys(SAME_AS_ENGLISH)) {
      const [locale, namespace, key] = entry.split(":") as [string, string, string];
      const own = LEAVES.get(locale as never)?.get(`${namespace}:${key}`);
      const english = LEAVES.get("en")!.get(`${namespace}:${key}`);
      expect(own, entry).toBeDefined();
      expect(
        texts(own!).some((text) => texts(english ?? []).includes(text)),
        entry,
      ).toBe(true);
    }
  });

  it("hold no digits: every number in the copy comes formatted from the data", () => {
    for (const locale of SUPPORTED_LOCALES)
      for (const [key, leaf] of LEAVES.get(locale)!)
        if (isCopy(key)) for (const text of texts(leaf)) expect(text, `${locale} ${key}`).not.toMatch(/\p{Nd}/u);
  });

  it("hold no spelled-out numbers either", () => {
    // Unambiguous number words only (Swedish "en" and German "ein" are also articles).
    const words: Record<string, string[]> = {
      en: ["one", "two", "three", "four", "five", "ten", "twice", "hundred", "thousand", "million", "dozen"],
      et: ["üks", "kaks", "kolm", "neli", "viis", "kümme", "sada", "tuhat", "miljon", "kaks korda"],
      fi: ["yksi", "kaksi", "kolme", "neljä", "viisi", "kymmenen", "sata", "tuhat", "miljoona", "kahdesti"],
      de: ["eins", "zwei", "drei", "vier", "fünf", "zehn", "hundert", "tausend", "zweimal", "Million"],
      sv: ["två", "tre", "fyra", "fem", "tio", "hundra", "tusen", "miljon", "dubbelt"],
    };
    for (const locale of SUPPORTED_LOCALES) {
      const pattern = new RegExp(`(?<![\\p{L}])(${words[locale]!.join("|")})(?![\\p{L}])`, "iu");
      for (const [key, leaf] of LEAVES.get(locale)!)
        if (isCopy(key)) for (const text of texts(leaf)) expect(text, `${locale} ${key}`).not.toMatch(pattern);
    }
  });

  it("keep button labels within 30 characters and taglines within the subheadline's 120", () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, leaf] of LEAVES.get(locale)!) {
        if (key.startsWith("common:cta."))
          for (const text of texts(leaf)) expect(text.length, text).toBeLessThanOrEqual(30);
        if (key.endsWith(".tagline"))
          for (const text of texts(leaf)) expect(text.length, text).toBeLessThanOrEqual(120);
      }
    }
  });

  it("give at most two hashtags per topic, without digits, so the product's own tag still fits", () => {
    for (const locale of SUPPORTED_LOCALES)
      for (const [key, leaf] of LEAVES.get(locale)!)
        if (key.startsWith("common:hashtag.")) {
          const tags = (leaf as string).split(" ");
          expect(tags.length, `${locale} ${key}`).toBeLessThanOrEqual(2);
          for (const tag of tags) expect(tag, `${locale} ${key}`).toMatch(/^#[\p{L}_]+$/u);
        }
  });
});

describe("the i18next instance", () => {
  it("picks plural forms by Intl.PluralRules and prints the formatted value as given", () => {
    const fi = getTranslator("fi", "common");
    expect(fi("metric.active_users.amount", { count: 1, value: "1" })).toBe("1 aktiivinen kollega");
    expect(fi("metric.active_users.amount", { count: 12, value: "12" })).toBe("12 aktiivista kollegaa");
    // 1.5 is "other" in Finnish, as in the other four languages.
    expect(fi("metric.active_users.amount", { count: 1.5, value: "1,5" })).toBe("1,5 aktiivista kollegaa");
    const sv = getTranslator("sv", "common");
    expect(sv("metric.active_users.amount", { count: 1, value: "1" })).toBe("1 aktiv kollega");
    expect(sv("metric.active_users.amount", { count: 3, value: "3" })).toBe("3 aktiva kollegor");
  });

  it("shows a missing key as the key, never silently in English", () => {
    const i18n = createI18n({ en: { copy: { onlyEnglish: "Only in English" } }, fi: { copy: {} } });
    expect(i18n.t("onlyEnglish", { lng: "en" })).toBe("Only in English");
    expect(i18n.t("onlyEnglish", { lng: "fi" })).toBe("onlyEnglish");
  });

  it("does not escape values: the copy is plain text", () => {
    const i18n = createI18n({ en: { copy: { line: "From {{name}}" } } });
    expect(i18n.t("line", { lng: "en", name: "R&D <Team>" })).toBe("From R&D <Team>");
  });

  it("does not interpolate or nest inside values, so a customer's name stays literal", () => {
    const i18n = createI18n({ en: { copy: { line: "From {{name}}", secret: "nested" } } });
    expect(i18n.t("line", { lng: "en", name: "{{name}} $t(secret)" })).toBe("From {{name}} $t(secret)");
  });

  it("is its own instance, not i18next's global one", async () => {
    const { default: global } = await import("i18next");
    const instance = createI18n();
    expect(instance).not.toBe(global);
    expect(instance.options.fallbackLng).toBe(false);
    expect(instance.hasResourceBundle("et", "copy")).toBe(true);
  });
});
