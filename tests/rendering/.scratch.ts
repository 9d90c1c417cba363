import { writeFileSync } from "node:fs";
import { renderAsset } from "../../src/rendering/render-asset.js";
import { bigNumbersDigest, digest, type InputOptions, renderInput } from "./fixtures.js";

const [locale = "en", theme = "classic", variant = "base", kinds = "linkedin,square,story,pdf"] = process.argv.slice(2);
const base = digest();
const cases: Record<string, InputOptions> = {
  base: {},
  long: {
    accountName: "Bauunternehmung Müller-Lüdenscheidt und Söhne Kommanditgesellschaft auf Aktien",
    copy: { headline: "Zwölf Teams automatisierten 1 284 Std. Handarbeit über Quartal" },
  },
  big: { digest: bigNumbersDigest() },
  one: { digest: digest({ facts: base.facts.slice(0, 1), headline: ["metric:hours_saved"] }) },
  two: {
    digest: digest({ facts: base.facts.slice(0, 2), headline: ["metric:hours_saved", "metric:errors_prevented"] }),
  },
  hidden: { hiddenFactIds: ["metric:hours_saved"] },
  brand: {
    brand: {
      primaryColor: "#fde047",
      accentColor: "#fef9c3",
      backgroundColor: "#111111",
      productName: "Ledgerly Automation Suite for Finance Teams",
    },
    logo: null,
  },
};
const input = await renderInput({ locale: locale as "en", theme: theme as "classic", ...cases[variant] });
console.log(input.copy.headline, "|", input.accountName);
for (const kind of kinds.split(",") as ("linkedin" | "pdf")[]) {
  const t = performance.now();
  const asset = await renderAsset(kind, input);
  console.log(kind, Math.round(performance.now() - t), "ms", asset.bytes.length);
  writeFileSync(`/tmp/cards/${variant}-${kind}-${locale}-${theme}.${kind === "pdf" ? "pdf" : "png"}`, asset.bytes);
}
