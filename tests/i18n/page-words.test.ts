import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getTranslator, loadResources } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { acceptedLocales, pageLocale } from "../../src/i18n/page-locale.js";

const resources = loadResources();

/** The `t("…")` keys a page's source files use (keys built at run time are checked by the cases below). */
function keysUsedIn(dir: string): string[] {
  const keys = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => /\.tsx?$/.test(name)))
    for (const match of readFileSync(join(dir, file), "utf8").matchAll(/\bt\("([\w.]+)"/g)) keys.add(match[1] ?? "");
  return [...keys];
}

const lookup = (tree: unknown, key: string) =>
  key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);

describe("the words of the customer's page and the demo signup page", () => {
  const cases: [string, string, string[]][] = [
    [
      "customer",
      "src/publishing",
      ["done.published", "done.unpublished", "done.hiding", "done.updated", "done.look", "done.wording", "done.post"],
    ],
    ["demo", "src/demo", []],
  ];
  for (const [namespace, dir, dynamic] of cases) {
    it(`has every ${namespace} key the page uses in all five locale files`, () => {
      const keys = [
        ...keysUsedIn(dir),
        ...dynamic,
        ...SUPPORTED_LOCALES.map((l) => `language.contentStays.${l}`),
        ...SUPPORTED_LOCALES.map((l) => `choices.post.language.${l}`),
        ...["classic", "bold"].map((theme) => `choices.look.themes.${theme}`),
        ...["linkedin", "square", "story"].map((size) => `choices.look.sizes.${size}`),
      ].filter((key) => namespace === "customer" || !/^(language|choices)\./.test(key));
      expect(keys.length).toBeGreaterThan(5);
      for (const locale of SUPPORTED_LOCALES)
        for (const key of keys) {
          const value = lookup(resources[locale]?.[namespace], key);
          expect(typeof value, `${locale} ${namespace}:${key}`).toBe("string");
          expect(getTranslator(locale, namespace as "customer")(key)).toBe(value);
        }
    });
  }
});

describe("choosing a page's language", () => {
  it("takes ?lang= first, then the recap's language, then the browser's, then English", () => {
    expect(pageLocale("de", "fi")).toBe("de");
    expect(pageLocale("xx", "fi")).toBe("fi");
    expect(pageLocale(undefined, null, ...acceptedLocales("fr-FR,sv;q=0.8,fi;q=0.9"))).toBe("fi");
    expect(pageLocale(undefined, null, ...acceptedLocales("fr"))).toBe("en");
    expect(acceptedLocales("et-EE, en;q=0.5, de;q=0")).toEqual(["et", "en"]);
  });
});
