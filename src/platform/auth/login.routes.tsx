import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../http/app-env.js";
import { clientAddress } from "../http/client-address.js";
import { ProblemError } from "../http/problem.js";
import { renderPage } from "../pages/render.js";
import type { PlatformDeps } from "../platform-deps.js";
import { checkSignIn, type Workspace } from "../tenancy/users.js";
import { randomToken } from "./hashing.js";
import { LoginPage } from "./login.page.js";
import {
  claimLoginAttempt,
  clearLoginFailures,
  clientFingerprint,
  endSession,
  SESSION_COOKIE,
  startSession,
  tokensMatch,
} from "./sessions.js";

// Before sign-in there is no session to hold a CSRF token, so the login form uses a
// double-submit cookie: the form field must equal this cookie.
const LOGIN_CSRF_COOKIE = "or_login_csrf";

/** Only same-site paths are followed after sign-in, so the form cannot redirect elsewhere. */
function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) ? value : "/review";
}

export function registerLoginRoutes(app: Hono<AppEnv>, deps: PlatformDeps) {
  const cookieOptions = { httpOnly: true, sameSite: "Lax", secure: deps.config.cookieSecure, path: "/" } as const;

  const showForm = (
    c: Context<AppEnv>,
    status: 200 | 401 | 429,
    extra: { email?: string; error?: string; next?: string; workspaces?: Workspace[] } = {},
  ) => {
    const csrfToken = randomToken();
    setCookie(c, LOGIN_CSRF_COOKIE, csrfToken, { ...cookieOptions, maxAge: 3600 });
    // The page carries a one-off token and is answered with a cookie: no cache may keep it.
    c.header("cache-control", "no-store");
    return c.html(renderPage(<LoginPage csrfToken={csrfToken} {...extra} />), status);
  };

  app.get("/review/login", (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.get("session")) return c.redirect(next, 303);
    return showForm(c, 200, { next });
  });

  app.post("/review/login", async (c) => {
    const form = await c.req.parseBody();
    if (!tokensMatch(form._csrf, getCookie(c, LOGIN_CSRF_COOKIE) ?? "")) {
      throw new ProblemError({ status: 403, code: "csrf_failed", detail: "Reload the sign-in page and try again." });
    }
    const email = typeof form.email === "string" ? form.email.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    // Sent only after the form asked which workspace (the address and password open several).
    const workspace = typeof form.workspace === "string" && form.workspace ? form.workspace : undefined;
    const next = safeNext(form.next);
    const fingerprint = clientFingerprint(c, clientAddress(c));

    // The try is counted before the password is checked, so parallel guesses share one allowance.
    const attempt = await claimLoginAttempt(deps, email, fingerprint);
    if (!attempt.allowed) {
      const minutes = Math.ceil(attempt.retryAfter / 60);
      c.header("retry-after", String(attempt.retryAfter));
      return showForm(c, 429, {
        email,
        next,
        error: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      });
    }
    const check =
      email && password ? await checkSignIn(deps.db, { email, password, workspace }) : { outcome: "refused" as const };
    // The same answer whether the address is unknown, in another tenant only, or the password wrong.
    if (check.outcome === "refused") {
      return showForm(c, 401, { email, next, error: "The e-mail or password is not right." });
    }
    // The password was right, so the failures are cleared as for a sign-in.
    await clearLoginFailures(deps.db, email);
    if (check.outcome === "choose_workspace") {
      return showForm(c, 200, {
        email,
        next,
        workspaces: check.workspaces,
        error: "This e-mail and password open more than one workspace. Choose one and enter the password again.",
      });
    }
    const session = await startSession(deps, check.user);
    deleteCookie(c, LOGIN_CSRF_COOKIE, { path: "/" });
    setCookie(c, SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
    return c.redirect(next, 303);
  });

  app.post("/review/logout", async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    if (session && !tokensMatch(form._csrf, session.csrfToken)) {
      throw new ProblemError({ status: 403, code: "csrf_failed", detail: "Reload the page and try again." });
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await endSession(deps.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/review/login", 303);
  });
}
