import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { tenantAssetBytes } from "../assets/asset-queries.js";
import { ensureAsset } from "../assets/render-assets.js";
import { NotRenderableError, renderInputFor } from "../assets/render-input.js";
import { shareUrlFor } from "../assets/share-url.js";
import type { Deps } from "../deps.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { pageLocale, withLang } from "../i18n/page-locale.js";
import { AppError } from "../platform/errors.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { problemOf } from "../platform/http/problem.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import {
  chooseLook,
  chooseWording,
  editPost,
  type FailedNumber,
  isCardSize,
  isTheme,
} from "../recaps/customer-choices.js";
import type { Actor } from "../recaps/recap-actions.js";
import { copyIsUpdating, type RecapWithAccount } from "../recaps/recaps.js";
import { GlyphCoverageError } from "../rendering/glyph-coverage.js";
import type { ChoicesFeedback } from "./choices.page.js";
import { POST_MAX } from "./choices.page.js";
import { CHOICES_SCRIPT, CHOICES_SCRIPT_PATH } from "./choices-script.js";
import { type CustomerPageProps, customerWords } from "./customer.page.js";

/** What the customer page's routes share with the choices' routes (customer.routes.tsx builds it). */
export type CustomerRouteKit = {
  /** The recap a live token opens, or null. */
  open(token: string): Promise<RecapWithAccount | null>;
  show(
    c: Context<AppEnv>,
    token: string,
    recap: RecapWithAccount,
    status: 200 | 400 | 403 | 409,
    extra?: Partial<CustomerPageProps>,
  ): Promise<Response>;
  notFound(c: Context<AppEnv>): Promise<Response>;
  fromElsewhere(c: Context<AppEnv>): boolean;
  chosenOf(c: Context<AppEnv>): SupportedLocale | undefined;
  /** Who the audit trail names for the page's changes. */
  actor: Actor;
};

/** States whose card the customer may look at (approved: to choose; published: as it went out). */
const SHOWN = new Set(["approved", "published"]);

/** A posted field as one string ("" when missing or sent twice). */
const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === "string" ? form[name] : "");

/** A post longer than this is not even read: far beyond the limit, it can only be a mistake or an attack. */
const READ_AT_MOST = 20_000;

/**
 * The customer's choices on their preview page: POST /p/<token>/look, /wording and /post, each
 * an audited recap action (recaps/customer-choices.ts) that leaves the recap approved; and
 * GET /p/<token>/preview/<size>, the card rendered for the current choices or one being tried.
 * Refusals come back as the page in the customer's language, with nothing changed.
 */
export function registerChoiceRoutes(app: OpenAPIHono<AppEnv>, deps: Deps, kit: CustomerRouteKit) {
  app.get(CHOICES_SCRIPT_PATH, (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=3600");
    c.header("x-content-type-options", "nosniff");
    return c.body(CHOICES_SCRIPT);
  });

  app.get("/p/:token/preview/:size", async (c) => {
    const recap = await kit.open(c.req.param("token"));
    const size = c.req.param("size");
    const theme = c.req.query("theme");
    const wording = c.req.query("wording");
    const alternative = wording === undefined ? undefined : recap?.copyAlternatives?.[Number(wording)];
    if (
      !recap?.copy ||
      !SHOWN.has(recap.state) ||
      // While the text is re-written without hidden numbers, the old card is not shown.
      copyIsUpdating(recap) ||
      !isCardSize(size) ||
      (theme !== undefined && !isTheme(theme)) ||
      (wording !== undefined && (!/^\d$/.test(wording) || !alternative))
    ) {
      return kit.notFound(c);
    }
    const tried = alternative ? { ...recap, copy: { ...recap.copy, ...alternative } } : recap;
    try {
      const tenant = await getTenant(deps.db, recap.tenantId);
      const input = renderInputFor(tried, tenant, {
        shareUrl: await shareUrlFor(deps, recap),
        ...(theme !== undefined && isTheme(theme) ? { theme } : {}),
      });
      // Content-addressed like every asset: a choice tried twice renders once.
      const key = await ensureAsset(deps, recap.tenantId, size, input);
      const stored = await tenantAssetBytes(deps.db, recap.tenantId, key);
      if (!stored?.bytes) return kit.notFound(c);
      c.header("content-type", stored.contentType);
      c.header("x-content-type-options", "nosniff");
      return c.body(new Uint8Array(stored.bytes), 200);
    } catch (error) {
      if (error instanceof GlyphCoverageError || error instanceof NotRenderableError) return kit.notFound(c);
      throw error;
    }
  });

  type Apply = (
    target: { tenantId: string; recapId: string; actor: Actor; expectedVersion: number },
    form: Record<string, unknown>,
    recap: RecapWithAccount,
  ) => Promise<"saved" | "unchanged">;

  const choice = (path: "look" | "wording" | "post", apply: Apply) =>
    app.post(`/p/:token/${path}`, async (c) => {
      const token = c.req.param("token");
      const recap = await kit.open(token);
      if (!recap) return kit.notFound(c);
      const chosen = kit.chosenOf(c);
      const t = customerWords(pageLocale(chosen, recap.locale));
      const back = (query: string) => c.redirect(withLang(`/p/${token}${query}`, chosen), 303);
      if (kit.fromElsewhere(c)) {
        return kit.show(c, token, recap, 403, {
          problem: { title: t("problem.elsewhereTitle"), detail: t("problem.elsewhereDetail") },
        });
      }
      const form = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
      const versionText = field(form, "version");
      const target = {
        tenantId: recap.tenantId,
        recapId: recap.id,
        actor: kit.actor,
        expectedVersion: /^\d{1,9}$/.test(versionText) ? Number(versionText) : -1,
      };
      const draft = path === "post" ? field(form, "linkedinPost").slice(0, READ_AT_MOST) : undefined;
      const refuse = async (status: 400 | 409, detail: string, feedback: ChoicesFeedback = {}) => {
        const fresh = (await kit.open(token)) ?? recap;
        const title = path === "post" ? t("choices.post.notSaved") : t("choices.notSaved");
        return kit.show(c, token, fresh, status, {
          // A refused post is explained beside the text box; the alert at the top only names what happened.
          problem: draft === undefined ? { title, detail } : { title },
          choices: draft === undefined ? feedback : { postDraft: draft, postError: detail, ...feedback },
        });
      };
      try {
        const outcome = await apply(target, form, recap);
        return back(outcome === "saved" ? `?done=${path}` : "");
      } catch (error) {
        const failure = problemOf(error);
        if (!failure) throw error;
        const { status, code, extensions, errors } = failure;
        if (status === 404) return kit.notFound(c);
        if (status === 412) return refuse(409, `${t("problem.staleTitle")} ${t("problem.staleDetail")}`);
        if (code === "fact_check_failed") {
          const failed = (extensions?.failedNumbers ?? []) as FailedNumber[];
          return refuse(400, failedNumbersMessage(t, failed));
        }
        if (status === 409 && extensions?.reason === "unchanged") return back("");
        if (status === 409 && extensions?.reason === "wrong_language")
          return refuse(400, t(`choices.post.language.${recap.locale}`));
        if (status === 400 && code === "validation_failed") {
          return refuse(400, invalidMessage(t, errors ?? [], failure.detail ?? "", draft));
        }
        if (status === 409 || status === 403 || status === 400)
          return refuse(409, `${t("problem.failedTitle")} ${t("problem.failedDetail")}`);
        throw error;
      }
    });

  choice("look", async (target, form) => {
    await chooseLook(deps, target, { theme: field(form, "theme"), firstCardSize: field(form, "firstCardSize") });
    return "saved";
  });

  choice("wording", async (target, form) => {
    const picked = field(form, "wording");
    // The wording in use now: nothing to change.
    if (picked === "current") return "unchanged";
    await chooseWording(deps, target, /^\d$/.test(picked) ? Number(picked) : -1);
    return "saved";
  });

  choice("post", async (target, form) => {
    const text = field(form, "linkedinPost");
    // Refused before anything is read further: the limit is the copy schema's (UTF-16 units, trimmed).
    if (text.trim().length > POST_MAX) {
      throw new AppError("validation_failed", undefined, {
        errors: [{ path: "linkedinPost", message: `Too big: at most ${POST_MAX} characters` }],
      });
    }
    await editPost(deps, target, text);
    return "saved";
  });
}

/** "“1 300” is not in your data…", naming each number; a hidden one is named as hidden. */
function failedNumbersMessage(t: ReturnType<typeof customerWords>, failed: FailedNumber[]): string {
  const quoted = (numbers: FailedNumber[]) => numbers.map((number) => `“${number.text}”`).join(", ");
  const hidden = failed.filter((number) => number.hidden);
  const wrong = failed.filter((number) => !number.hidden);
  // One number or several: the five languages have just these two plural forms.
  return [
    ...(wrong.length === 1 ? [t("choices.post.wrongNumber_one", { numbers: quoted(wrong) })] : []),
    ...(wrong.length > 1 ? [t("choices.post.wrongNumber_other", { numbers: quoted(wrong) })] : []),
    ...(hidden.length === 1 ? [t("choices.post.hiddenNumber_one", { numbers: quoted(hidden) })] : []),
    ...(hidden.length > 1 ? [t("choices.post.hiddenNumber_other", { numbers: quoted(hidden) })] : []),
  ].join(" ");
}

/** The copy schema's refusal of the post, in the customer's words. */
function invalidMessage(
  t: ReturnType<typeof customerWords>,
  errors: { path: string; message: string }[],
  detail: string,
  draft: string | undefined,
): string {
  if (errors.some((error) => error.path === "wording")) return t("choices.wording.unknown");
  if (errors.some((error) => error.path === "theme" || error.path === "firstCardSize"))
    return t("choices.look.unknown");
  const messages = errors.map((error) => error.message).join(" ");
  if (draft !== undefined && draft.trim().length > POST_MAX)
    return t("choices.post.tooLong", { used: draft.trim().length, max: POST_MAX });
  if (/hashtag/i.test(messages)) return t("choices.post.hashtags");
  if (/link|web address/i.test(`${messages} ${detail}`)) return t("choices.post.links");
  if (/plain text/i.test(messages)) return t("choices.post.markup");
  if (draft !== undefined && draft.trim().length === 0) return t("choices.post.empty");
  if (errors.some((error) => error.path === "wording")) return t("choices.wording.unknown");
  if (errors.some((error) => error.path === "theme" || error.path === "firstCardSize"))
    return t("choices.look.unknown");
  return t("choices.post.invalid");
}
