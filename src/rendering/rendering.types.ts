import type { RecapCopy } from "../drafting/copy.schema.js";
import type { OkDigest } from "../drafting/drafter.types.js";
import type { FormattedFact } from "../i18n/format.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { TenantBrand } from "../platform/tenancy/tenancy.schema.js";

/** The three card sizes: LinkedIn's feed image, a square post, a story. */
export const CARD_SIZES = {
  linkedin: { width: 1200, height: 627 },
  square: { width: 1080, height: 1080 },
  story: { width: 1080, height: 1920 },
} as const;
export type CardSize = keyof typeof CARD_SIZES;

export type AssetKind = CardSize | "pdf";
export const ASSET_KINDS: readonly AssetKind[] = ["linkedin", "square", "story", "pdf"];

export const THEMES = ["classic", "bold"] as const;
export type Theme = (typeof THEMES)[number];

/**
 * Bumped whenever a template's look changes, so the asset key changes and nothing cached from the
 * old design is served for a new render.
 */
export const TEMPLATE_VERSION = "cards-6";

export type RenderLogo = { contentType: "image/png" | "image/svg+xml"; bytes: Uint8Array };

/** Everything a template may show. Nothing is fetched at render time: the logo travels as bytes. */
export type RenderInput = {
  locale: SupportedLocale;
  copy: RecapCopy;
  digest: OkDigest;
  /** The digest's facts formatted for `locale` (src/i18n/format.ts); templates never format numbers. */
  formatted: FormattedFact[];
  brand: TenantBrand;
  logo: RenderLogo | null;
  theme: Theme;
  accountName: string;
  /** The public share URL printed as a QR code on the PDF; null leaves the QR code out. */
  shareUrl: string | null;
  /** Facts the end customer chose to hide before publishing (revenue, say): never drawn. */
  hiddenFactIds: string[];
  /** The copy variant: B (pride) cards show no change for the worse. Absent: A. */
  variant?: "A" | "B";
};

export type RenderedAsset = {
  kind: AssetKind;
  contentType: "image/png" | "application/pdf";
  bytes: Buffer;
  width: number | null;
  height: number | null;
};

/**
 * Who waits for a render: a person (a preview, a publish; the default) or the render job working
 * through a backlog. A background render never takes a thread while an interactive one waits.
 */
export type RenderPriority = "interactive" | "background";

export interface Renderer {
  render(kind: AssetKind, input: RenderInput, options?: { priority?: RenderPriority }): Promise<RenderedAsset>;
  /** Stops the worker threads. */
  close(): Promise<void>;
}
