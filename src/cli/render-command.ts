import { mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { draftCopy } from "../drafting/draft-copy.js";
import type { CopyVariant, DraftInput, OkDigest } from "../drafting/drafter.types.js";
import { createTemplateDrafter } from "../drafting/template-drafter.js";
import { formatFact, formatPeriodLabel, parseTrailingLabel } from "../i18n/format.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { TenantBrand } from "../platform/tenancy/tenancy.schema.js";
import { DEFAULT_BRAND } from "../platform/tenancy/tenant-input.js";
import { ASSET_KINDS, type AssetKind, type RenderInput, type Theme } from "../rendering/rendering.types.js";
import { digestFromUsage } from "../usage/digest-from-usage.js";
import { parseUsageFileText, type UsageFile, UsageFileError } from "../usage/usage-file.js";

/**
 * `outcome-recap render`: the whole pipeline from a usage file, without a server or database.
 * Usage file → digest (as the server computes it) → template copy, fact-checked → cards and PDF.
 */

export type RenderCommandOptions = {
  input: string;
  out: string;
  locale?: SupportedLocale | undefined;
  variant: CopyVariant;
  theme?: Theme | undefined;
  /** The clock, when the file gives no `asOf`: a running year or a window ending today runs to it. */
  now?: Date | undefined;
};

/** The usage file has too little data for a recap: the reasons are the digest's. */
export class NotEnoughDataError extends Error {
  constructor(
    readonly period: string,
    readonly reasons: string[],
  ) {
    super(`not enough data for a recap of ${period}:\n${reasons.map((reason) => `  - ${reason}`).join("\n")}`);
    this.name = "NotEnoughDataError";
  }
}

const FILE_NAMES: Record<AssetKind, string> = {
  linkedin: "linkedin.png",
  square: "square.png",
  story: "story.png",
  pdf: "recap.pdf",
};

export async function readUsageFile(file: string): Promise<UsageFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageFileError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  try {
    return parseUsageFileText(text);
  } catch (error) {
    if (error instanceof UsageFileError) throw new UsageFileError(`${file}: ${error.message}`, error.errors);
    throw error;
  }
}

/** The tenant's brand as the file gives it, the rest from the defaults; the product names the cards. */
function brandOf(file: UsageFile): TenantBrand {
  return { ...DEFAULT_BRAND, productName: file.product.name, ...file.product.brand };
}

export type RenderCommandResult = {
  digest: OkDigest;
  headline: string;
  files: { kind: AssetKind | "copy" | "digest"; path: string }[];
  summary: string;
};

/** The render input for one locale, variant and theme: the template drafter's copy, fact-checked. */
export async function recapFromUsage(
  file: UsageFile,
  digest: OkDigest,
  options: { locale?: SupportedLocale | undefined; variant: CopyVariant; theme?: Theme | undefined },
) {
  const locale: SupportedLocale = options.locale ?? file.account.locale ?? "en";
  const brand = brandOf(file);
  const theme: Theme = options.theme ?? brand.theme ?? "classic";
  const formatted = digest.facts.map((fact) => formatFact(fact, locale, digest.currency));
  const draftInput: DraftInput = {
    digest,
    formatted,
    locale,
    variant: options.variant,
    // As the service words them: a year in review, a trailing window (a milestone's), or a quarter.
    kind: /^\d{4}$/.test(digest.period.label)
      ? "annual"
      : parseTrailingLabel(digest.period.label)
        ? "milestone"
        : "quarterly",
    milestone: null,
    account: { name: file.account.name },
    tenant: { name: file.product.company, productName: brand.productName },
  };
  const template = createTemplateDrafter();
  // The template drafter is both the choice and the fallback: no LLM, no network, fact-checked.
  const drafted = await draftCopy(draftInput, { drafter: template, template, llmAllowed: false, now: new Date() });

  const input: RenderInput = {
    locale,
    copy: drafted.copy,
    digest,
    formatted,
    brand,
    logo: null,
    theme,
    accountName: file.account.name,
    shareUrl: null,
    hiddenFactIds: [],
    variant: options.variant,
  };
  return { locale, theme, formatted, drafted, input };
}

export async function renderFromUsageFile(options: RenderCommandOptions): Promise<RenderCommandResult> {
  const file = await readUsageFile(options.input);
  const { digest, notes } = digestFromUsage(file, options.now ? { now: options.now } : {});
  if (digest.status !== "ok") throw new NotEnoughDataError(digest.period.label, digest.reasons);
  const { locale, theme, formatted, drafted, input } = await recapFromUsage(file, digest, options);
  await mkdir(options.out, { recursive: true });
  const files: RenderCommandResult["files"] = [];
  const { createRenderer } = await import("../rendering/renderer.js");
  // One thread per asset at most: the four render side by side, and no idle threads load fonts.
  const renderer = createRenderer({ threads: Math.min(ASSET_KINDS.length, availableParallelism()) });
  try {
    const assets = await Promise.all(ASSET_KINDS.map((kind) => renderer.render(kind, input)));
    for (const asset of assets) {
      const target = path.join(options.out, FILE_NAMES[asset.kind]);
      await writeFile(target, asset.bytes);
      files.push({ kind: asset.kind, path: target });
    }
  } finally {
    await renderer.close();
  }
  const copyPath = path.join(options.out, "copy.json");
  const copyJson = {
    locale,
    variant: options.variant,
    theme,
    copy: drafted.copy,
    factCheck: drafted.factCheck,
    drafting: drafted.record,
    notes,
  };
  await writeFile(copyPath, `${JSON.stringify(copyJson, null, 2)}\n`);
  files.push({ kind: "copy", path: copyPath });
  const digestPath = path.join(options.out, "digest.json");
  await writeFile(digestPath, `${JSON.stringify(digest, null, 2)}\n`);
  files.push({ kind: "digest", path: digestPath });

  const byId = new Map(formatted.map((entry) => [entry.id, entry]));
  const numbers = drafted.copy.highlights.map((highlight) => {
    const entry = byId.get(highlight.factId);
    const change = entry?.change ? ` (${entry.change})` : "";
    return `  ${entry?.value ?? highlight.factId}${change}: ${highlight.text}`;
  });
  const checked = drafted.factCheck.numbers.length;
  const summary = [
    `${file.account.name}, ${formatPeriodLabel(digest.period, "en")} (${locale}, variant ${options.variant}, ${theme})`,
    `Headline: ${drafted.copy.headline}`,
    ...numbers,
    `Fact-check: ${drafted.factCheck.ok ? "ok" : "FAILED"}, ${checked} number${checked === 1 ? "" : "s"} checked`,
    ...notes,
    "Wrote:",
    ...files.map((entry) => `  ${entry.path}`),
  ].join("\n");
  return { digest, headline: drafted.copy.headline, files, summary };
}
