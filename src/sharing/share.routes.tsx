import { hash } from "node:crypto";
import type { Context, Hono } from "hono";
import { listRecapAssets } from "../assets/asset-queries.js";
import { publicAssetPath } from "../assets/assets.routes.js";
import type { Deps } from "../deps.js";
import { formatFact } from "../i18n/format.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { ifNoneMatchHits, NO_STORE, PUBLIC_REVALIDATE } from "../platform/http/cache-control.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import { renderPage } from "../platform/pages/render.js";
import { getRecap } from "../recaps/recaps.js";
import { clickFrom } from "./click-request.js";
import { createTtlCache, type TtlCache } from "./link-cache.js";
import { SHARE_CODE_PATTERN } from "./share-code.js";
import { shareLabels, shareLocale } from "./share-labels.js";
import { findLinkTarget, type LinkTarget, redirectPath, shareUrl, signupLocation } from "./share-links.js";
import { MessagePage, ShareDocument, type ShareMeta, SharePage, type ShareView } from "./share-page.js";
import { SHARE_SCRIPT, SHARE_SCRIPT_PATH } from "./share-script.js";

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

function messagePage(c: Context, status: 404 | 410, locale: string | null, config: Deps["config"], path: string) {
  // Called from the redirect too, ahead of the global middleware: the base comes from the request all the same.
  const labels = shareLabels(locale);
  const title = status === 404 ? labels.notFoundTitle : labels.goneTitle;
  const meta: ShareMeta = {
    lang: shareLocale(locale),
    title,
    description: status === 404 ? labels.notFoundText : labels.goneText,
    canonicalUrl: `${publicBaseUrl(c, config)}${path}`,
    image: null,
    ogLocale: OG_LOCALES[shareLocale(locale)] ?? "en_US",
  };
  // A taken-down (or unknown) page must not be kept anywhere: the next request asks again.
  c.header("cache-control", NO_STORE);
  c.header("x-robots-tag", "noindex");
  return c.html(
    renderPage(
      <ShareDocument meta={meta}>
        <MessagePage title={title} text={meta.description} />
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
      c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
      c.header("x-content-type-options", "nosniff");
      return messagePage(c, link?.location ? 410 : 404, null, deps.config, c.req.path);
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

  app.get("/s/:code", async (c) => {
    const code = c.req.param("code");
    const link = SHARE_CODE_PATTERN.test(code) ? await links.get(code) : null;
    if (!link) return messagePage(c, 404, null, deps.config, c.req.path);
    if (!link.recapId) return messagePage(c, 410, null, deps.config, c.req.path);
    // The page reads the recap itself (not the cache): it must never show a recap taken down.
    const recap = await getRecap(deps.db, link.tenantId, link.recapId);
    if (recap.state !== "published" || !recap.copy) return messagePage(c, 410, recap.locale, deps.config, c.req.path);

    const click = clickFrom(c, deps.config, link, deps.clock.now(), { shareStarted: true });
    if (click.shareStarted) deps.clicks.record(click);

    // Absolute only where it must be (Open Graph tags, the URL people copy); the page's own resources
    // and links are relative, so they load from whichever origin the page was opened at.
    const base = publicBaseUrl(c, deps.config);
    const locale = shareLocale(recap.locale);
    const labels = shareLabels(recap.locale);
    const hidden = new Set(recap.hiddenFactIds);
    const assets = await listRecapAssets(deps.db, recap.id);
    const card = assets.find((asset) => asset.kind === "linkedin");
    const pdf = assets.find((asset) => asset.kind === "pdf");
    const cardPath = card ? publicAssetPath(card.key, "linkedin") : null;
    const canonical = shareUrl(base, link.code, recap.version);
    const copy = recap.copy;
    const postText = `${copy.linkedinPost}\n\n${canonical}`;
    const digest = recap.digest;
    const numbers =
      digest.status === "ok"
        ? digest.headline
            .filter((id) => !hidden.has(id))
            .map((id) => digest.facts.find((fact) => fact.id === id))
            .filter((fact) => fact !== undefined)
            .slice(0, 3)
            .map((fact) => {
              const formatted = formatFact(fact, locale, digest.currency);
              return { id: fact.id, label: fact.label, value: formatted.value, change: formatted.change };
            })
        : [];
    const view: ShareView = {
      headline: copy.headline,
      subheadline: copy.subheadline,
      cardUrl: cardPath,
      imageAlt: copy.imageAlt,
      numbers,
      highlights: copy.highlights.filter((highlight) => !hidden.has(highlight.factId)).map((h) => h.text),
      callToAction: copy.callToAction,
      redirectUrl: redirectPath(link.code),
      linkedInUrl: `https://www.linkedin.com/sending/share-offsite/?url=${encodeURIComponent(canonical)}`,
      postText,
      shareUrl: canonical,
      pdfUrl: pdf ? publicAssetPath(pdf.key, "pdf") : null,
      mailto: `mailto:?subject=${encodeURIComponent(copy.headline)}&body=${encodeURIComponent(`${copy.subheadline}\n\n${canonical}`)}`,
      transparencyNote: copy.transparencyNote,
    };
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
        <SharePage view={view} labels={labels} />
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
