import type { Context, Hono } from "hono";
import type { Deps } from "../deps.js";
import { firingsOfRecap } from "../moments/firings.js";
import { requireSessionPage } from "../platform/auth/require-session.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { PROBLEM_TITLES, ProblemError, problemOf } from "../platform/http/problem.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import { renderPage } from "../platform/pages/render.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { createPreviewLink } from "../publishing/preview-links.js";
import { approveRecap, editCopy, rejectRecap, requestRedraft } from "../recaps/recap-changes.js";
import { recapHistory } from "../recaps/recap-history.js";
import { getRecap, type RecapWithAccount } from "../recaps/recaps.js";
import { REVIEW_SCRIPT_PATH } from "./pages/components.js";
import { copyFields, errorsByField, readCopyForm } from "./pages/copy-fields.js";
import {
  approvalBlockedWarning,
  csrfFailure,
  doneMessage,
  type FormBody,
  formText,
  formVersion,
  notFoundPage,
  sessionOf,
  UUID,
} from "./pages/page-support.js";
import { RecapPage, type RecapPageProps } from "./pages/recap.page.js";
import { REVIEW_SCRIPT } from "./pages/review-script.js";
import { actorFor } from "./review.routes.js";
import { registerReviewHomeRoutes } from "./review-home.routes.js";

type Submission = { c: Context<AppEnv>; recap: RecapWithAccount; form: FormBody; version: number };
/** Runs the use case; returns the `done` code for the redirect. */
type Run = (submission: Submission) => Promise<string>;

const REASON_FIELDS = ["reason", "instructions", "overrideReason"];

/**
 * The reviewer's screens: the queue (review-home.routes.tsx) and one recap with its preview, copy
 * form, facts, history and decisions. Every POST checks the CSRF token and carries the version the
 * page was rendered with; a stale one re-renders the page with a conflict message (409) instead of
 * overwriting, invalid input re-renders with messages beside the fields (400), success redirects (303).
 */
export function registerReviewPageRoutes(app: Hono<AppEnv>, deps: Deps) {
  registerReviewHomeRoutes(app, deps);

  app.get(REVIEW_SCRIPT_PATH, (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "no-cache");
    return c.body(REVIEW_SCRIPT);
  });

  const show = async (
    c: Context<AppEnv>,
    status: 200 | 400 | 403 | 409,
    id: string,
    extra: Partial<RecapPageProps>,
    done?: string,
  ) => {
    const session = sessionOf(c);
    const recap = await getRecap(deps.db, session.tenantId, id);
    // "Saved" is only good news when the saved copy passes the fact-check; else it is a warning.
    const blocked = done === "saved" ? approvalBlockedWarning(recap.factCheck) : undefined;
    const shown = blocked ? { ...extra, status: undefined, warning: blocked } : extra;
    const [history, tenant, moments] = await Promise.all([
      recapHistory(deps.db, recap.id),
      getTenant(deps.db, session.tenantId),
      firingsOfRecap(deps.db, session.tenantId, recap.id),
    ]);
    const page = (
      <RecapPage
        session={session}
        tenantName={tenant.name}
        recap={recap}
        history={history}
        moments={moments}
        formVersion={recap.version}
        {...shown}
      />
    );
    return c.html(renderPage(page), status);
  };

  const guarded = (handler: (c: Context<AppEnv>, id: string) => Promise<Response>) => async (c: Context<AppEnv>) => {
    const id = c.req.param("id") ?? "";
    if (!UUID.test(id)) return notFoundPage(c);
    try {
      return await handler(c, id);
    } catch (error) {
      if (problemOf(error)?.status === 404) return notFoundPage(c);
      throw error;
    }
  };

  app.get(
    "/review/recaps/:id",
    requireSessionPage(),
    guarded((c, id) => show(c, 200, id, { status: doneMessage(c.req.query("done")) }, c.req.query("done"))),
  );

  /**
   * The customer's private link, created from the screen once the recap is approved. The page shows
   * it once (only its hash is stored), so it is rendered in the answer, never put in a redirect URL.
   */
  app.post(
    "/review/recaps/:id/preview-link",
    requireSessionPage(),
    guarded(async (c, id) => {
      const form = (await c.req.parseBody()) as FormBody;
      const refused = csrfFailure(c, form);
      if (refused) return refused;
      try {
        const link = await createPreviewLink(
          deps,
          { tenantId: sessionOf(c).tenantId, recapId: id },
          publicBaseUrl(c, deps.config),
        );
        c.header("cache-control", "no-store");
        return await show(c, 200, id, {
          status: "Preview link created. Copy it and send it to the customer.",
          previewLink: { url: link.url, expiresAt: link.expiresAt },
        });
      } catch (error) {
        const failed = problemOf(error);
        if (failed?.status !== 409) throw error;
        const detail = failed.detail ?? PROBLEM_TITLES[failed.code];
        return show(c, 409, id, { problem: { title: "No preview link yet.", detail } });
      }
    }),
  );

  /** One decision or edit: CSRF, version, the use case, and the answer for each way it can end. */
  const post = (path: string, run: Run, aliases: Record<string, string> = {}) =>
    app.post(
      `/review/recaps/:id/${path}`,
      requireSessionPage(),
      guarded(async (c, id) => {
        const form = (await c.req.parseBody()) as FormBody;
        const refused = csrfFailure(c, form);
        if (refused) return refused;
        const recap = await getRecap(deps.db, sessionOf(c).tenantId, id);
        const submitted = Object.fromEntries(
          Object.keys(form)
            .filter((name) => name !== "_csrf" && name !== "version")
            .map((name) => [name, formText(form, name)]),
        );
        const version = formVersion(form);
        if (version === null) {
          return show(c, 400, id, {
            submitted,
            problem: { title: "The form is incomplete.", detail: "It has no recap version. Reload the page." },
          });
        }
        try {
          const done = await run({ c, recap, form, version });
          return c.redirect(`/review/recaps/${id}?done=${done}`, 303);
        } catch (error) {
          const failed = problemOf(error);
          if (!failed) throw error;
          const { status, code, errors } = failed;
          if (status === 412)
            return show(c, 409, id, { conflict: { staleVersion: version }, formVersion: version, submitted });
          if (status === 400 && errors) {
            const names = recap.copy ? copyFields(recap.copy, []).map((field) => field.name) : [];
            const renamed = errors.map((e) => ({ ...e, path: aliases[e.path] ?? e.path }));
            const { byField, general } = errorsByField(renamed, [...names, ...REASON_FIELDS]);
            const problem = {
              title: "Nothing was saved: please correct the marked fields.",
              items: general.length ? general : undefined,
            };
            return show(c, 400, id, { fieldErrors: byField, submitted, problem });
          }
          if (status === 403 || status === 409) {
            const title = code === "fact_check_failed" ? "A number matches no fact." : "That is not possible now.";
            return show(c, status, id, {
              submitted,
              problem: { title, detail: failed.detail ?? PROBLEM_TITLES[code] },
            });
          }
          throw error;
        }
      }),
    );

  const target = ({ c, recap, version }: Submission) => ({
    tenantId: recap.tenantId,
    recapId: recap.id,
    actor: actorFor(sessionOf(c), "review"),
    expectedVersion: version,
  });

  post("copy", async (submission) => {
    const { recap, form, version } = submission;
    if (!recap.copy) throw new ProblemError({ status: 409, code: "conflict", detail: "The recap has no copy yet." });
    const { changed } = readCopyForm(form, recap.copy);
    if (Object.keys(changed).length === 0) {
      if (version !== recap.version) throw new ProblemError({ status: 412, code: "precondition_failed" });
      return "unchanged";
    }
    await editCopy(deps, target(submission), changed);
    return "saved";
  });

  post("approve", async (submission) => {
    const overriding = "overrideReason" in submission.form;
    const reason = formText(submission.form, "overrideReason").trim();
    if (overriding && !reason) {
      throw new ProblemError({
        status: 400,
        code: "validation_failed",
        errors: [{ path: "overrideReason", message: "Say why the numbers may stand" }],
      });
    }
    await approveRecap(deps, target(submission), overriding ? { reason: reason.slice(0, 2000) } : null);
    return "approved";
  });

  post("reject", async (submission) => {
    await rejectRecap(deps, target(submission), formText(submission.form, "reason").slice(0, 2000));
    return "rejected";
  });

  post(
    "redraft",
    async (submission) => {
      await requestRedraft(deps, target(submission), formText(submission.form, "instructions").slice(0, 2000));
      return "redraft";
    },
    { reason: "instructions" },
  );
}
