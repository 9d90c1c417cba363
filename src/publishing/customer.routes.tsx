import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { listRecapAssets, tenantAssetBytes } from "../assets/asset-queries.js";
import type { Deps } from "../deps.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { acceptedLocales, chosenLocale, pageLocale, withLang } from "../i18n/page-locale.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { problemOf } from "../platform/http/problem.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import { renderPage } from "../platform/pages/render.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import type { Actor } from "../recaps/recap-actions.js";
import { hideNumbers, unpublishRecap } from "../recaps/recap-changes.js";
import { getRecap, type RecapWithAccount } from "../recaps/recaps.js";
import { registerChoiceRoutes } from "./choices.routes.js";
import {
  CustomerPage,
  type CustomerPageProps,
  customerWords,
  offeredFactIds,
  PreviewNotFoundPage,
} from "./customer.page.js";
import { CUSTOMER_SCRIPT, CUSTOMER_SCRIPT_PATH } from "./customer-script.js";
import { registerPreviewLinkRoutes } from "./preview-link.routes.js";
import { findPreviewLink, previewLinkLocale } from "./preview-links.js";
import { publishBlocker, publishRecap } from "./publish-recap.js";
import { registerShareHubScript, shareHubFor } from "./share-hub.routes.js";

export const CUSTOMER_ACTOR: Actor = { type: "customer", id: null, name: "end customer via preview link" };

/** States in which the customer may see the rendered card and PDF. */
const SHOWN = new Set(["approved", "published"]);
const KINDS = new Set(["linkedin", "pdf"]);

/** The `?done=` outcomes the page confirms (their words are `customer:done.<outcome>`). */
const DONE = new Set(["published", "unpublished", "hiding", "updated", "look", "wording", "post"]);

const sameSet = (a: readonly string[], b: readonly string[]) =>
  [...new Set(a)].sort().join("\n") === [...new Set(b)].sort().join("\n");

/**
 * The end customer's preview: no sign-in, the unguessable token in the path is the credential.
 * Nothing here is cached, sent on as a referrer, or indexed.
 */
export function registerCustomerRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  registerPreviewLinkRoutes(app, deps);
  registerShareHubScript(app);

  app.use("/p/*", async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    c.header("x-robots-tag", "noindex, nofollow");
  });

  /** The language the customer chose with `?lang=`, if any; it stays on every link and form of the page. */
  const chosenOf = (c: Context<AppEnv>) => chosenLocale(c.req.query("lang"));

  /**
   * Unknown, tampered and expired links get the same page, in the chosen language, else the expired
   * link's recap's (it is no secret to whoever holds the token), else the browser's.
   */
  const notFound = async (c: Context<AppEnv>) => {
    const token = c.req.param("token") ?? "";
    const lang = pageLocale(
      chosenOf(c),
      await previewLinkLocale(deps.db, token),
      ...acceptedLocales(c.req.header("accept-language")),
    );
    return c.html(renderPage(<PreviewNotFoundPage lang={lang} />), 404);
  };

  /** The recap a live token opens, or null (unknown, expired, or the recap is gone). */
  const open = async (token: string): Promise<RecapWithAccount | null> => {
    const link = await findPreviewLink(deps.db, token, deps.clock.now());
    return link ? getRecap(deps.db, link.tenantId, link.recapId).catch(() => null) : null;
  };

  /** Why an approved recap cannot be published yet (its copy or card is being re-made, or leaks). */
  const blockerOf = (recap: RecapWithAccount) =>
    recap.state === "approved" ? publishBlocker(deps.db, recap) : Promise.resolve(null);

  const show = async (
    c: Context<AppEnv>,
    token: string,
    recap: RecapWithAccount,
    status: 200 | 400 | 403 | 409,
    extra: Partial<CustomerPageProps> = {},
  ) => {
    const [tenant, assets, blocker] = await Promise.all([
      getTenant(deps.db, recap.tenantId),
      listRecapAssets(deps.db, recap.id),
      blockerOf(recap),
    ]);
    // While the copy and card are re-made without hidden numbers, the old card (with them) is not shown.
    const shown = SHOWN.has(recap.state) && blocker?.code !== "copy_updating";
    const chosen = chosenOf(c);
    const lang = pageLocale(chosen, recap.locale);
    // Only the page itself makes the hub's links; an answer to a refused form shows the problem alone.
    const hub = status === 200 ? await shareHubFor(deps, c, { recap, tenant, lang }) : undefined;
    const page = (
      <CustomerPage
        token={token}
        recap={recap}
        lang={lang}
        chosen={chosen}
        productName={tenant.brand.productName || tenant.name}
        hasCard={shown && assets.some((asset) => asset.kind === "linkedin")}
        hasPdf={shown && assets.some((asset) => asset.kind === "pdf")}
        updating={blocker?.code === "copy_updating"}
        leak={blocker?.code === "hidden_fact_shown" ? blocker.detail : undefined}
        hub={hub}
        brandTheme={tenant.brand.theme}
        {...extra}
      />
    );
    return c.html(renderPage(page), status);
  };

  app.get("/p/:token", async (c) => {
    const token = c.req.param("token");
    const recap = await open(token);
    if (!recap) return notFound(c);
    let done = c.req.query("done") ?? "";
    // The re-draft may be finished by the time the page loads: say so rather than "being re-written".
    if (done === "hiding" && recap.state === "approved" && (await blockerOf(recap))?.code !== "copy_updating")
      done = "updated";
    const t = customerWords(pageLocale(chosenOf(c), recap.locale));
    return show(c, token, recap, 200, { status: DONE.has(done) ? t(`done.${done}`) : undefined });
  });

  app.get(CUSTOMER_SCRIPT_PATH, (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=3600");
    c.header("x-content-type-options", "nosniff");
    return c.body(CUSTOMER_SCRIPT);
  });

  // What the page's script polls while the text and card are re-made without the hidden numbers.
  app.get("/p/:token/status", async (c) => {
    const recap = await open(c.req.param("token"));
    if (!recap) return c.json({ error: "not found" }, 404);
    const blocker = await blockerOf(recap);
    return c.json({ state: recap.state, version: recap.version, updating: blocker?.code === "copy_updating" });
  });

  // The card and PDF for a valid token only, privately; other assets stay behind API keys.
  app.get("/p/:token/assets/:kind", async (c) => {
    const recap = await open(c.req.param("token"));
    const kind = c.req.param("kind");
    if (!recap || !KINDS.has(kind) || !SHOWN.has(recap.state)) return notFound(c);
    const row = (await listRecapAssets(deps.db, recap.id)).find((asset) => asset.kind === kind);
    const stored = row ? await tenantAssetBytes(deps.db, recap.tenantId, row.key) : null;
    if (!stored?.bytes) return notFound(c);
    c.header("content-type", stored.contentType);
    c.header("x-content-type-options", "nosniff");
    if (kind === "pdf") c.header("content-disposition", `attachment; filename="recap-${recap.period}.pdf"`);
    return c.body(new Uint8Array(stored.bytes), 200);
  });

  /** Defence in depth: a browser's form post names its origin; one from elsewhere is refused. */
  const fromElsewhere = (c: Context<AppEnv>) => {
    const allowed = new Set([new URL(c.req.url).origin, new URL(publicBaseUrl(c, deps.config)).origin]);
    const origin = c.req.header("origin");
    // Our pages send Referrer-Policy no-referrer, under which browsers post `Origin: null`.
    if (origin && origin !== "null") return !allowed.has(origin);
    const referer = c.req.header("referer");
    if (!referer) return false;
    return !URL.canParse(referer) || !allowed.has(new URL(referer).origin);
  };

  // Make it theirs: the look, another wording, their own post (choices.routes.tsx).
  registerChoiceRoutes(app, deps, { open, show, notFound, fromElsewhere, chosenOf, actor: CUSTOMER_ACTOR });

  const decide = (path: "publish" | "unpublish" | "hide") =>
    app.post(`/p/:token/${path}`, async (c) => {
      const token = c.req.param("token");
      const recap = await open(token);
      if (!recap) return notFound(c);
      const chosen: SupportedLocale | undefined = chosenOf(c);
      const t = customerWords(pageLocale(chosen, recap.locale));
      const back = (query: string) => c.redirect(withLang(`/p/${token}${query}`, chosen), 303);
      if (fromElsewhere(c)) {
        return show(c, token, recap, 403, {
          problem: { title: t("problem.elsewhereTitle"), detail: t("problem.elsewhereDetail") },
        });
      }
      const form = await c.req.parseBody({ all: true });
      const versionText = typeof form.version === "string" ? form.version : "";
      const hide = [form.hide ?? []].flat().filter((value): value is string => typeof value === "string");
      const target = {
        tenantId: recap.tenantId,
        recapId: recap.id,
        actor: CUSTOMER_ACTOR,
        expectedVersion: /^\d{1,9}$/.test(versionText) ? Number(versionText) : -1,
      };
      const offered = offeredFactIds(recap);
      if (path !== "unpublish" && offered.length > 0 && offered.every((id) => hide.includes(id))) {
        return show(c, token, recap, 400, {
          problem: { title: t("problem.notPublished"), detail: t("problem.keepOne") },
        });
      }
      try {
        // A changed choice of hidden numbers is never published at once: the text is re-written
        // without them first, and the customer reads it before consenting.
        if (path === "hide" && sameSet(hide, recap.hiddenFactIds)) return back("");
        if (path === "hide" || (path === "publish" && !sameSet(hide, recap.hiddenFactIds))) {
          await hideNumbers(deps, target, hide.slice(0, 20));
          return back("?done=hiding");
        }
        if (path === "publish") await publishRecap(deps, target, hide.slice(0, 20));
        else await unpublishRecap(deps, target, "taken down by the end customer");
        return back(`?done=${path}ed`);
      } catch (error) {
        const failed = problemOf(error);
        if (!failed || ![400, 409, 412].includes(failed.status)) throw error;
        const fresh = (await open(token)) ?? recap;
        // The core's messages are English for the API; the customer reads their own language.
        const problem =
          failed.status === 409 && failed.code === "copy_updating"
            ? { title: t("problem.notPublished"), detail: t("problem.updating") }
            : failed.status === 409 && failed.code === "hidden_fact_shown"
              ? { title: t("problem.notPublished"), detail: t("problem.leak") }
              : failed.status === 412
                ? { title: t("problem.staleTitle"), detail: t("problem.staleDetail") }
                : { title: t("problem.failedTitle"), detail: t("problem.failedDetail") };
        return show(c, token, fresh, failed.status === 400 ? 400 : 409, { problem });
      }
    });
  decide("publish");
  decide("unpublish");
  decide("hide");
}
