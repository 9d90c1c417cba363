import { createHash } from "node:crypto";
import { type AssetKind, type RenderInput, TEMPLATE_VERSION } from "../rendering/rendering.types.js";

/**
 * The content address of an asset: SHA-256 over everything that changes a pixel (template version,
 * kind, theme, locale, copy, digest, brand, logo, share URL, hidden facts, variant) and the tenant, so two
 * tenants never share a row. Keys sort object fields, so the same input always gives the same key.
 */
export function assetKey(tenantId: string, kind: AssetKind, input: RenderInput): string {
  const logo = input.logo
    ? { contentType: input.logo.contentType, sha256: createHash("sha256").update(input.logo.bytes).digest("hex") }
    : null;
  const material = stableJson({
    template: TEMPLATE_VERSION,
    tenantId,
    kind,
    theme: input.theme,
    locale: input.locale,
    copy: input.copy,
    digest: input.digest,
    formatted: input.formatted,
    brand: input.brand,
    logo,
    accountName: input.accountName,
    shareUrl: kind === "pdf" ? input.shareUrl : null, // only the PDF prints it
    hidden: [...input.hiddenFactIds].sort(),
    variant: input.variant ?? "A",
  });
  return createHash("sha256").update(material).digest("hex");
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

export const ASSET_EXTENSIONS: Record<AssetKind, "png" | "pdf"> = {
  linkedin: "png",
  square: "png",
  story: "png",
  pdf: "pdf",
};

/** Where a public asset is served (GET /assets/:file): what pages and the share hub link to. */
export function publicAssetPath(key: string, kind: AssetKind) {
  return `/assets/${key}.${ASSET_EXTENSIONS[kind]}`;
}
