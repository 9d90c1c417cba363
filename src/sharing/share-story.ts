import { shippedLabel } from "../drafting/fact-label.js";
import { formatBand, formatFact, formatPeriodLabel, parseTrailingLabel } from "../i18n/format.js";
import { getI18n } from "../i18n/i18n.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { Tenant } from "../platform/tenancy/tenants.js";
import type { RecapWithAccount } from "../recaps/recaps.js";
import type { Fact } from "../usage/digest.types.js";
import { factLabel } from "./fact-labels.js";
import { shareWords } from "./share-labels.js";
import { type StoryChart, storyChart } from "./story-chart.js";
import { type StoryPalette, storyPalette } from "./story-palette.js";

/** Everything the visitor's story shows, worked out once; the page only lays it out. */
export type StoryView = {
  palette: StoryPalette;
  nav: { label: string; previous: string; next: string; hint: string; slide: string };
  opening: { kicker: string; account: string | null; headline: string; subheadline: string };
  hero: { id: string; kicker: string; value: string; label: string; change: string | null } | null;
  supporting: { id: string; value: string; label: string }[];
  chart: {
    kicker: string;
    caption: string;
    best: string;
    alt: string;
    partialNote: string | null;
    data: StoryChart;
  } | null;
  rank: { kicker: string; text: string; detail: string | null } | null;
  archetype: { kicker: string; name: string; tagline: string | null };
  product: {
    kicker: string;
    name: string;
    tagline: string;
    description: string | null;
    website: ProductWebsite | null;
  };
  cta: { kicker: string; text: string; href: string; cardUrl: string | null; cardAlt: string; transparency: string };
};

export type ProductWebsite = { href: string; label: string };

/**
 * The tenant's website for visitors: the one it set, else the site its signup page is on, else
 * none. A signup page on this service itself (the demo's) names no website: the service has no
 * home page to send a visitor to.
 */
export function tenantWebsite(
  tenant: Pick<Tenant, "websiteUrl" | "signupUrl">,
  serviceOrigin: string,
): { href: string; host: string } | null {
  const signupOrigin = tenant.signupUrl ? new URL(tenant.signupUrl).origin : null;
  const href =
    tenant.websiteUrl ?? (signupOrigin && signupOrigin !== new URL(serviceOrigin).origin ? `${signupOrigin}/` : null);
  if (!href) return null;
  return { href, host: new URL(href).hostname.replace(/^www\./, "") };
}

function shownFacts(recap: RecapWithAccount): Fact[] {
  const digest = recap.digest;
  if (digest.status !== "ok") return [];
  const hidden = new Set(recap.hiddenFactIds);
  const byId = new Map(digest.facts.map((fact) => [fact.id, fact]));
  return [...new Set(digest.headline)].flatMap((id) => byId.get(id) ?? []).filter((fact) => !hidden.has(fact.id));
}

function archetypeWords(locale: SupportedLocale, key: string) {
  const i18n = getI18n();
  const known = i18n.exists(`${key}.name`, { lng: locale, ns: "common" }) ? key : "archetype.achiever";
  const taglines = i18n.getResource(locale, "common", `${known}.tagline`) as unknown;
  return {
    name: i18n.t(`${known}.name`, { lng: locale, ns: "common" }) as string,
    tagline: Array.isArray(taglines) && typeof taglines[0] === "string" ? taglines[0] : null,
  };
}

export function buildStoryView(input: {
  recap: RecapWithAccount;
  tenant: Tenant;
  locale: SupportedLocale;
  redirectHref: string;
  cardUrl: string | null;
  /** The public base URL the page was opened at. */
  serviceOrigin: string;
}): StoryView {
  const { recap, tenant, locale } = input;
  const t = shareWords(locale);
  const copy = recap.copy;
  if (!copy) throw new Error("a published recap has copy");
  const digest = recap.digest;
  const currency = digest.status === "ok" ? digest.currency : "EUR";
  const facts = shownFacts(recap);
  const numbers = facts.map((fact) => ({
    fact,
    formatted: formatFact(fact, locale, currency),
    label: factLabel(locale, fact),
  }));
  const [hero, ...rest] = numbers;
  const hidden = new Set(recap.hiddenFactIds);
  const product = tenant.brand.productName;
  const website = tenantWebsite(tenant, input.serviceOrigin);

  // A year in review ("2026") speaks of the year and compares with last year (`year.*` in share.json);
  // a milestone's trailing window of the period and the one before it (`window.*`), never of a quarter.
  const yearWords = /^\d{4}$/.test(digest.period.label)
    ? "year."
    : parseTrailingLabel(digest.period.label)
      ? "window."
      : "";
  let chart: StoryView["chart"] = null;
  if (digest.status === "ok" && digest.chart && !hidden.has(`metric:${digest.chart.metricKey}`)) {
    const data = storyChart(digest.chart, digest.period, locale, currency);
    const fact = digest.facts.find((candidate) => candidate.metricKey === digest.chart?.metricKey);
    if (data) {
      const caption = fact ? factLabel(locale, fact, "name") : shippedLabel(locale, "measure", "name");
      // The year in review's bars are months (`chart.month.*`), a quarter's are weeks.
      const words = digest.chart.granularity === "month" ? "chart.month" : "chart";
      chart = {
        kicker: t(`${words}.kicker`),
        caption,
        best: t(`${words}.best`, { value: data.bestValue }),
        alt: t(`${words}.alt`, { caption, week: data.bestWeek, month: data.bestWeek, value: data.bestValue }),
        partialNote: data.bars.some((bar) => bar.partial)
          ? t(yearWords === "window." && words === "chart" ? "window.chart.partial" : `${words}.partial`)
          : null,
        data,
      };
    }
  }

  // The best peer band among the numbers shown, only when the peer group is large enough to tell.
  const ranked =
    digest.status === "ok" && digest.peerGroup.shown
      ? numbers
          .filter((entry) => entry.fact.percentileBand !== null)
          .sort((a, b) => (a.fact.percentileBand ?? 100) - (b.fact.percentileBand ?? 100))[0]
      : undefined;
  const archetype = archetypeWords(locale, digest.status === "ok" ? digest.archetype : "archetype.achiever");

  return {
    palette: storyPalette(digest.status === "ok" ? digest.archetype : "achiever", tenant.brand.accentColor),
    nav: {
      label: t("story.label"),
      previous: t("story.previous"),
      next: t("story.next"),
      hint: t("story.hint"),
      slide: t("story.slide", { current: "{current}", total: "{total}" }),
    },
    opening: {
      kicker: `${t(`${yearWords}opening.kicker`)} · ${formatPeriodLabel(digest.period, locale)}`,
      // The account's name above the headline only when the headline does not already say it.
      account: copy.headline.toLocaleLowerCase(locale).includes(recap.accountName.toLocaleLowerCase(locale))
        ? null
        : recap.accountName,
      headline: copy.headline,
      subheadline: copy.subheadline,
    },
    hero: hero
      ? {
          id: hero.fact.id,
          kicker: t(`${yearWords}number.kicker`),
          value: hero.formatted.value,
          label: hero.label,
          // Pride never shows a decline: the change is printed only when it is an improvement.
          change:
            hero.fact.improved && hero.formatted.change
              ? t(`${yearWords}number.change`, { change: hero.formatted.change })
              : null,
        }
      : null,
    supporting: rest
      .slice(0, 2)
      .map((entry) => ({ id: entry.fact.id, value: entry.formatted.value, label: entry.label })),
    chart,
    rank:
      ranked?.fact.percentileBand != null
        ? {
            kicker: t("rank.kicker"),
            text: t("rank.band", { band: formatBand(ranked.fact.percentileBand, locale) }),
            // Which number the rank is for, as the hero slide wrote it.
            detail: `${ranked.formatted.value} ${ranked.label}`,
          }
        : null,
    archetype: { kicker: t("archetype.kicker"), ...archetype },
    product: {
      kicker: t("product.kicker", { product }),
      name: product,
      tagline: tenant.productTagline[locale] ?? t("product.fallback", { product }),
      description: tenant.productDescription[locale] ?? null,
      website: website ? { href: website.href, label: t("product.website", { host: website.host }) } : null,
    },
    cta: {
      kicker: t("cta.kicker"),
      text: copy.callToAction,
      href: input.redirectHref,
      cardUrl: input.cardUrl,
      cardAlt: copy.imageAlt || t("cta.cardAlt"),
      transparency: copy.transparencyNote,
    },
  };
}
