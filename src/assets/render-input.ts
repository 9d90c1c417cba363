import type { OkDigest } from "../drafting/drafter.types.js";
import { visibleDigest } from "../drafting/hidden-facts.js";
import { formatFact } from "../i18n/format.js";
import type { Tenant } from "../platform/tenancy/tenants.js";
import type { RecapWithAccount } from "../recaps/recaps.js";
import { type RenderInput, type RenderLogo, THEMES, type Theme } from "../rendering/rendering.types.js";

export class NotRenderableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotRenderableError";
  }
}

const LOGO_TYPES = new Set(["image/png", "image/svg+xml"]);

/** What the templates get for a recap: its copy and digest, the tenant's brand and logo bytes. */
export function renderInputFor(
  recap: RecapWithAccount,
  tenant: Tenant,
  options: { shareUrl: string | null; theme?: Theme },
): RenderInput {
  if (!recap.copy) throw new NotRenderableError("The recap has no copy yet: it is still being drafted.");
  if (recap.digest.status !== "ok") throw new NotRenderableError("The recap's digest has no facts to show.");
  // The templates never see a hidden fact: not its tile, not its chart, not its number anywhere.
  const digest: OkDigest = visibleDigest(recap.digest, recap.hiddenFactIds);
  const locale = recap.locale;
  const logo: RenderLogo | null =
    tenant.logo && tenant.logoContentType && LOGO_TYPES.has(tenant.logoContentType)
      ? { contentType: tenant.logoContentType as RenderLogo["contentType"], bytes: tenant.logo }
      : null;
  const brandTheme = tenant.brand.theme;
  return {
    locale,
    copy: recap.copy,
    digest,
    formatted: digest.facts.map((fact) => formatFact(fact, locale, digest.currency)),
    brand: tenant.brand,
    logo,
    // The look the customer chose on their preview page wins over the tenant's default.
    theme:
      options.theme ??
      recap.customerChoices?.theme ??
      (brandTheme && THEMES.includes(brandTheme) ? brandTheme : "classic"),
    accountName: recap.accountName,
    shareUrl: options.shareUrl,
    hiddenFactIds: recap.hiddenFactIds,
    variant: recap.variant,
  };
}
