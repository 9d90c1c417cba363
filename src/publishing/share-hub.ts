import { publicAssetPath } from "../assets/asset-key.js";
import { listRecapAssets } from "../assets/asset-queries.js";
import type { Deps } from "../deps.js";
import { formatPeriodInTitle, recapPeriod } from "../i18n/format.js";
import { getTranslator } from "../i18n/i18n.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { recapLoopProgress } from "../loop/loop-completions.js";
import type { Tenant } from "../platform/tenancy/tenants.js";
import type { RecapWithAccount } from "../recaps/recaps.js";
import type { AssetKind } from "../rendering/rendering.types.js";
import { recapReach } from "../sharing/recap-reach.js";
import { shareUrl } from "../sharing/share-links.js";
import { recapPdfPath } from "../sharing/share-paths.js";
import { channelLinks } from "../sharing/share-recap.js";
import type { ShareChannel } from "../sharing/sharing.schema.js";

/** The hub's channels, each with its own tracked link; "other" is the phone's own share sheet. */
export const HUB_CHANNELS: readonly ShareChannel[] = ["linkedin", "x", "email", "copy", "other"];

const DOWNLOADS: readonly AssetKind[] = ["linkedin", "square", "story", "pdf"];

export type ShareHubDownload = { kind: AssetKind; href: string; filename: string };

export type ShareHubView = {
  /** The tracked links; null when the tenant has nowhere for them to lead (no signup URL yet). */
  links: {
    linkedinShare: string;
    linkedinUrl: string;
    xUrl: string;
    mailto: string;
    copyLink: string;
    nativeLink: string;
  } | null;
  /** The drafted post and, after it, the LinkedIn link: what the customer pastes into LinkedIn. */
  postText: string;
  /** The text a phone's share sheet gets with the card (the post, with its own link). */
  nativeText: string;
  title: string;
  downloads: ShareHubDownload[];
  /** The card a phone shares as a file (same-origin, fetched by the page's script). */
  cardFile: ShareHubDownload | null;
  /** The product's name as the hub's sentences take it (see productForSentences). */
  product: string;
  people: number;
  signups: number;
  /** The tenant's reward in the page's language; null when it configured none. */
  reward: { text: string; earned: boolean } | null;
};

/** A file name people recognise in their downloads folder: "kide-analytics-oy-2026-q3-square.png". */
function fileName(account: string, period: string, kind: AssetKind): string {
  const stem = `${account}-${period}`
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${stem || "recap"}-${kind === "pdf" ? "recap" : kind}.${kind === "pdf" ? "pdf" : "png"}`;
}

/**
 * The product's name as the hub's sentences take it. Finnish joins it to a word with a hyphen
 * ("{{product}}-palveluun"), and a multi-word name takes a space before the hyphen
 * ("Northwind Flows -palveluun"), so the Finnish words always write the hyphen and get the space here.
 */
export function productForSentences(lang: SupportedLocale, name: string): string {
  return lang === "fi" && /\s/.test(name) ? `${name} ` : name;
}

/** The reward in the first language it is written in: the page's, the recap's, the tenant's default, any. */
export function rewardText(reward: Tenant["shareReward"], ...languages: string[]): string | null {
  if (!reward) return null;
  for (const language of languages) {
    const text = reward[language as SupportedLocale];
    if (text) return text;
  }
  return Object.values(reward).find((text) => !!text) ?? null;
}

/**
 * Everything the share hub shows for a published recap: a tracked link per channel (made on the
 * first visit, reused after), the downloads, how far the recap got, and the reward.
 */
export async function loadShareHub(
  deps: Pick<Deps, "db" | "queue">,
  input: { recap: RecapWithAccount; tenant: Tenant; lang: SupportedLocale; base: string },
): Promise<ShareHubView> {
  const { recap, tenant, lang, base } = input;
  const hub = getTranslator(lang, "hub");
  const product = productForSentences(lang, tenant.brand.productName || tenant.name);
  const copy = recap.copy;
  const [assets, people, progress, links] = await Promise.all([
    listRecapAssets(deps.db, recap.id),
    recapReach(deps.db, recap.tenantId, recap.id),
    recapLoopProgress(deps.db, recap.tenantId, recap.id),
    tenant.signupUrl ? channelLinks(deps, recap, HUB_CHANNELS) : Promise.resolve(null),
  ]);
  const urlOf = (channel: ShareChannel) => {
    const link = links?.get(channel);
    return link ? shareUrl(base, link.code, recap.version) : "";
  };
  const downloads = DOWNLOADS.flatMap((kind) => {
    const asset = assets.find((row) => row.kind === kind);
    return asset
      ? [{ kind, href: publicAssetPath(asset.key, kind), filename: fileName(recap.accountName, recap.period, kind) }]
      : [];
  });
  const pdf = downloads.find((download) => download.kind === "pdf");
  const period = formatPeriodInTitle(recapPeriod(recap), lang);
  // "Our Q3 2026 recap" does not take "2026 so far": the year in review has its own sentences.
  const year = recap.kind === "annual" ? "Year" : "";
  const headline = copy?.headline ?? "";
  const post = copy?.linkedinPost ?? "";
  const reward = rewardText(tenant.shareReward, lang, recap.locale, tenant.defaultLocale);
  return {
    links: links
      ? {
          linkedinShare: urlOf("linkedin"),
          linkedinUrl: `https://www.linkedin.com/sharing/share-offsite/?url=${encodeURIComponent(urlOf("linkedin"))}`,
          xUrl: `https://twitter.com/intent/tweet?text=${encodeURIComponent(headline)}&url=${encodeURIComponent(urlOf("x"))}`,
          mailto: `mailto:?subject=${encodeURIComponent(hub(`email.subject${year}`, { period, product }))}&body=${encodeURIComponent(
            hub(pdf ? `email.body${year}` : `email.bodyNoPdf${year}`, {
              period,
              product,
              headline,
              // The lasting address (the file's own changes with each render): someone may open it next month.
              pdf: pdf ? `${base}${recapPdfPath(links.get("email")?.code ?? "")}` : "",
              link: urlOf("email"),
            }),
          )}`,
          copyLink: urlOf("copy"),
          nativeLink: urlOf("other"),
        }
      : null,
    postText: links ? `${post}\n\n${urlOf("linkedin")}` : post,
    nativeText: links ? `${post}\n\n${urlOf("other")}` : post,
    title: headline,
    downloads,
    cardFile: downloads.find((download) => download.kind === "linkedin") ?? null,
    product,
    people,
    signups: progress.signups,
    reward: reward ? { text: reward, earned: progress.completedAt !== null } : null,
  };
}
