import { hash } from "node:crypto";
import type { Context, Hono } from "hono";
import { publicAssetPath } from "../assets/asset-key.js";
import { listRecapAssets } from "../assets/asset-queries.js";
import type { Deps } from "../deps.js";
import { acceptedLocales, pageLocale } from "../i18n/page-locale.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { ifNoneMatchHits, NO_STORE, PUBLIC_REVALIDATE } from "../platform/http/cache-control.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import { renderPage } from "../platform/pages/render.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { getRecap } from "../recaps/recaps.js";
import { clickFrom } from "./click-request.js";
import { createTtlCache, type TtlCache } from "./link-cache.js";
import { SHARE_CODE_PATTERN } from "./share-code.js";
import { shareLocale, shareWords } from "./share-labels.js";
import { findLinkTarget, type LinkTarget, redirectPath, shareUrl, signupLocation } from "./share-links.js";
import { MessagePage, ShareDocument, type ShareMeta, StoryPage } from "./share-page.js";
import { SHARE_SCRIPT, SHARE_SCRIPT_PATH } from "./share-script.js";
import { buildStoryView, tenantWebsite } from "./share-story.js";
import { STORY_FONT_PREFIX, storyFont } from "./share-styles.js";

/** What the redirect caches per code: the link and its ready-made Location (null: no signup URL). */
export type CachedLink = LinkTarget & { location: string | null };

const OG_LOCALES: Record<string, string> = { en: "en_US", et: "et_EE", fi: "fi_FI", de: "de_DE", sv: "sv_SE" };

export function createLinkCache(deps: Pick<Deps, "db" | "config" | "caches">): TtlCache<CachedLink> {
  return createTtlCache<CachedLink>({
    registry: deps.caches,
    ttlMs: deps.config.sharing.linkCacheTtlMs,
    maxEntries: 50_000,
    async load(code) {
      const target = await findLinkTarget(deps.db, code);
      if (!target) return null;
      return { ...target, location: target.signupUrl ? signupLocation(target.signupUrl, target) : null };
    },
  });
}

type MessageContext = { tenantId: string | null; locale: string | null };

/**
 * The 404 and 410 pages, in the recap's language (else the tenant's, else the visitor's), with a
 * link to the tenant's website when the code told us whose it was: a visitor who followed a dead
 * link still finds the product. An unknown code names no tenant, so its page links nowhere.
 */
async function messagePage(c: Context, status: 404 | 410, deps: Deps, path: string, known: MessageContext) {
  // Called from the redirect too, ahead of the global middleware: the base comes from the request all the same.
  const tenant = known.tenantId ? await getTenant(deps.db, known.tenantId).catch(() => null) : null;
  const locale = pageLocale(
    undefined,
    known.locale ? shareLocale(known.locale) : null,
    tenant?.defaultLocale,
    ...acceptedLocales(c.req.header("accept-language")),
  );
  const t = shareWords(locale);
  const title = status === 404 ? t("notFound.title") : t("gone.title");
  const text = status === 404 ? t("notFound.text") : t("gone.text");
  const website = tenant ? tenantWebsite(tenant, publicBaseUrl(c, deps.config)) : null;
  const meta: ShareMeta = {
    lang: locale,
    title,
    description: text,
    canonicalUrl: `${publicBaseUrl(c, deps.config)}${path}`,
    image: null,
    ogLocale: OG_LOCALES[locale] ?? "en_US",
  };
  // A taken-down (or unknown) page must not be kept anywhere: the next request asks again.
  c.header("cache-control", NO_STORE);
  c.header("x-robots-tag", "noindex");
  c.header("vary", "accept-language");
  return c.html(
    renderPage(
      <ShareDocument meta={meta}>
        <MessagePage
          title={title}
          text={text}
          website={website ? { href: website.href, label: t("home", { host: website.host }) } : null}
        />
      </ShareDocument>,
    ),
    status,
  );
}

/**
 * The tracked redirect, registered ahead of the app's global middleware: it is the hottest route,
 * needs no request id, session or CSP (it answers 302, or a plain message page), and its clicks are
 * recorded in the buffer rather than logged line by line.
 */
export function registerRedirectRoute(app: Hono<AppEnv>, deps: Deps, links: TtlCache<CachedLink>) {
  const answer = (c: Context, link: CachedLink | null): Response | Promise<Response> => {
    if (!link?.location || link.state !== "published") {
      // The global secure headers do not run here: the message page gets its own strict ones.
      c.header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src data:; frame-ancestors 'none'",
      );
      c.header("x-content-type-options", "nosniff");
      return messagePage(c, link?.location ? 410 : 404, deps, c.req.path, {
        tenantId: link?.tenantId ?? null,
        locale: null,
      });
    }
    const click = clickFrom(c, deps.config, link, deps.clock.now());
    // A plain header object (not c.header, which builds a Headers per request): the Node adapter
    // writes it as it is.
    const response = new Response(null, {
      status: 302,
      headers: {
        location: link.location,
        "cache-control": "no-store",
        "referrer-policy": "strict-origin-when-cross-origin",
      },
    });
    deps.clicks.record(click);
    return response;
  };
  // The hot path: a cache hit answers synchronously with no I/O at all; the click goes to the buffer.
  app.get("/r/:code", (c): Response | Promise<Response> => {
    const code = c.req.param("code");
    if (!SHARE_CODE_PATTERN.test(code)) return answer(c, null);
    const cached = links.peek(code);
    return cached === undefined ? links.get(code).then((link) => answer(c, link)) : answer(c, cached);
  });
}

/**
 * The public side of sharing: `/s/:code` (the share page LinkedIn's crawler reads) and the share
 * page's script. The redirect is registered separately (registerRedirectRoute).
 */
export function registerShareRoutes(app: Hono<AppEnv>, deps: Deps, links: TtlCache<CachedLink>) {
  app.get(SHARE_SCRIPT_PATH, (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=3600");
    c.header("x-content-type-options", "nosniff");
    return c.body(SHARE_SCRIPT);
  });

  app.get(`${STORY_FONT_PREFIX}:file`, (c) => {
    const font = storyFont(c.req.param("file"));
    if (!font) return c.body(null, 404);
    c.header("content-type", "font/woff2");
    // The file names carry no version, but the fonts change only with the font package: a day is safe.
    c.header("cache-control", "public, max-age=86400");
    c.header("x-content-type-options", "nosniff");
    return c.body(new Uint8Array(font));
  });

  app.get("/s/:code", async (c) => {
    const code = c.req.param("code");
    const link = SHARE_CODE_PATTERN.test(code) ? await links.get(code) : null;
    if (!link) return messagePage(c, 404, deps, c.req.path, { tenantId: null, locale: null });
    if (!link.recapId) return messagePage(c, 410, deps, c.req.path, { tenantId: link.tenantId, locale: null });
    // The page reads the recap itself (not the cache): it must never show a recap taken down.
    const recap = await getRecap(deps.db, link.tenantId, link.recapId);
    if (recap.state !== "published" || !recap.copy)
      return messagePage(c, 410, deps, c.req.path, { tenantId: link.tenantId, locale: recap.locale });

    const click = clickFrom(c, deps.config, link, deps.clock.now(), { shareStarted: true });
    if (click.shareStarted) deps.clicks.record(click);

    // Absolute only where it must be (Open Graph tags, the canonical URL); the page's own resources
    // and links are relative, so they load from whichever origin the page was opened at.
    const base = publicBaseUrl(c, deps.config);
    const locale = shareLocale(recap.locale);
    const tenant = await getTenant(deps.db, link.tenantId);
    const assets = await listRecapAssets(deps.db, recap.id);
    const card = assets.find((asset) => asset.kind === "linkedin");
    const cardPath = card ? publicAssetPath(card.key, "linkedin") : null;
    const canonical = shareUrl(base, link.code, recap.version);
    const copy = recap.copy;
    const view = buildStoryView({
      recap,
      tenant,
      locale,
      redirectHref: redirectPath(link.code),
      cardUrl: cardPath,
      serviceOrigin: base,
    });
    const meta: ShareMeta = {
      lang: locale,
      title: copy.headline,
      description: copy.subheadline,
      canonicalUrl: canonical,
      image: cardPath
        ? { url: `${base}${cardPath}`, width: card?.width ?? 1200, height: card?.height ?? 627, alt: copy.imageAlt }
        : null,
      ogLocale: OG_LOCALES[locale] ?? "en_US",
    };
    const html = renderPage(
      <ShareDocument meta={meta} script>
        <StoryPage view={view} />
      </ShareDocument>,
    );
    // Caches may keep the page but must revalidate it every time, so a take-down (answered 410
    // no-store above) is effective at once; an unchanged page costs them a 304.
    const etag = `"${hash("sha256", html, "base64url")}"`;
    c.header("cache-control", PUBLIC_REVALIDATE);
    c.header("etag", etag);
    if (ifNoneMatchHits(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    return c.html(html, 200);
  });
}
