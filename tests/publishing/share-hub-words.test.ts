import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getTranslator, loadResources } from "../../src/i18n/i18n.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { productForSentences, rewardText } from "../../src/publishing/share-hub.js";

const resources = loadResources();

/** The `hub("…")` keys the hub's files use, the per-kind download labels, and the plural bases. */
function hubKeys(): string[] {
  const keys = new Set([
    "downloads.linkedin",
    "downloads.square",
    "downloads.story",
    "downloads.pdf",
    "email.body",
    "email.bodyNoPdf",
  ]);
  const dir = "src/publishing";
  for (const file of readdirSync(dir).filter((name) => name.startsWith("share-hub")))
    for (const match of readFileSync(join(dir, file), "utf8").matchAll(/\bhub\("([\w.]+)"/g)) keys.add(match[1] ?? "");
  return [...keys];
}

function strings(tree: unknown, path = ""): [string, string][] {
  if (typeof tree === "string") return [[path, tree]];
  return Object.entries(tree as Record<string, unknown>).flatMap(([key, value]) =>
    strings(value, path ? `${path}.${key}` : key),
  );
}

describe("the share hub's words", () => {
  it("has every key the hub uses in all five languages, plurals included", () => {
    const keys = hubKeys();
    expect(keys.length).toBeGreaterThan(20);
    for (const locale of SUPPORTED_LOCALES) {
      const hub = getTranslator(locale, "hub");
      for (const key of keys) {
        const value = hub(key, {
          count: 2,
          product: "P",
          period: "Q3",
          headline: "H",
          pdf: "F",
          link: "L",
          reward: "R",
        });
        expect(value, `${locale} hub:${key}`).not.toBe(key);
        expect(value.length, `${locale} hub:${key}`).toBeGreaterThan(1);
      }
      for (const count of [1, 2]) {
        expect(hub("impact.people", { count, product: "P" }), `${locale} ${count}`).not.toContain("impact.");
        expect(hub("impact.signups", { count }), `${locale} ${count}`).toContain(String(count));
      }
    }
  });

  it("joins the product's name to a Finnish word with a hyphen, and a multi-word name with a space before it", () => {
    const finnish = strings(resources.fi?.hub).filter(([, text]) => text.includes("{{product}}"));
    expect(finnish.length).toBeGreaterThan(5);
    for (const [key, text] of finnish) expect(text, key).not.toMatch(/\{\{product\}\}(?!-)/);
    const hub = getTranslator("fi", "hub");
    expect(hub("reward.next", { product: productForSentences("fi", "Northwind Flows") })).toBe(
      "Northwind Flows -tiimi ottaa sinuun yhteyttä palkinnon tiimoilta.",
    );
    expect(hub("reward.next", { product: productForSentences("fi", "Slack") })).toBe(
      "Slack-tiimi ottaa sinuun yhteyttä palkinnon tiimoilta.",
    );
    // Other languages keep the name as it is.
    expect(productForSentences("de", "Northwind Flows")).toBe("Northwind Flows");
  });

  it("shows the reward in the page's language, else the recap's, else the tenant's default, else any", () => {
    const reward = { fi: "Kuukausi veloituksetta", sv: "En månad utan kostnad" };
    expect(rewardText(reward, "sv", "fi", "en")).toBe("En månad utan kostnad");
    expect(rewardText(reward, "de", "fi", "en")).toBe("Kuukausi veloituksetta");
    expect(rewardText({ et: "Kuu tasuta" }, "de", "fi", "en")).toBe("Kuu tasuta");
    expect(rewardText(null, "en")).toBeNull();
  });
});
