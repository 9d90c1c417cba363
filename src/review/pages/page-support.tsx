import type { Context } from "hono";
import type { FactCheckResult } from "../../drafting/fact-check.js";
import { tokensMatch } from "../../platform/auth/sessions.js";
import type { AppEnv, SessionPrincipal } from "../../platform/http/app-env.js";
import { renderPage } from "../../platform/pages/render.js";
import { ErrorPage } from "./components.js";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type FormBody = Record<string, string | File | (string | File)[]>;

/** The signed-in reviewer; requireSessionPage ran before every review page handler. */
export const sessionOf = (c: Context<AppEnv>) => c.get("session") as SessionPrincipal;

export function errorPage(
  c: Context<AppEnv>,
  status: 400 | 403 | 404 | 409,
  title: string,
  message: string,
  back = { href: "/review", label: "Back to the review queue" },
) {
  return c.html(renderPage(<ErrorPage title={title} message={message} back={back} />), status);
}

export const notFoundPage = (c: Context<AppEnv>) =>
  errorPage(c, 404, "Recap not found", "This recap does not exist, or it belongs to another workspace.");

/**
 * Every review form carries the session's CSRF token (a SameSite=Lax cookie alone would still let
 * a same-site page post); a missing or wrong token gets a page that says what to do, not JSON.
 */
export function csrfFailure(c: Context<AppEnv>, form: FormBody): Response | null {
  if (tokensMatch(form._csrf, sessionOf(c).csrfToken)) return null;
  const referer = c.req.path.startsWith("/review/recaps/")
    ? { href: c.req.path.split("/").slice(0, 4).join("/"), label: "Back to the recap" }
    : undefined;
  return errorPage(
    c,
    403,
    "This form has expired",
    "The form’s security token is missing or out of date (for example after signing in again). Nothing was changed. Go back, reload the page and submit again.",
    referer,
  );
}

/** The recap version a form was rendered with; null when missing or not a whole number. */
export function formVersion(form: FormBody): number | null {
  const value = typeof form.version === "string" ? form.version.trim() : "";
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export const formText = (form: FormBody, name: string) => {
  const value = form[name];
  return typeof value === "string" ? value.replace(/\r\n?/g, "\n") : "";
};

/** The values of a repeated field (checkboxes), whatever parseBody made of them. */
export function formList(form: FormBody, name: string): string[] {
  const value = form[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === "string");
}

/** The message for a redirect's `?done=` code; only these fixed texts, never text from the URL. */
export const doneMessage = (code: string | undefined) =>
  code !== undefined && Object.hasOwn(DONE_MESSAGES, code) ? DONE_MESSAGES[code] : undefined;

/**
 * After a save that leaves the fact-check failing: the copy was saved, but plain approval stays
 * blocked, which a green "saved" banner would hide (the reviewer reads the banner, not the list).
 */
export function approvalBlockedWarning(factCheck: FactCheckResult | null): string | undefined {
  if (!factCheck || factCheck.ok) return undefined;
  const numbers = factCheck.mismatches.length;
  const problems = factCheck.problems?.length ?? 0;
  const what = [
    numbers ? `${numbers} ${numbers === 1 ? "number matches" : "numbers match"} no fact` : null,
    problems ? `${problems} ${problems === 1 ? "problem" : "problems"} with links or language remain` : null,
  ]
    .filter(Boolean)
    .join(" and ");
  return `Copy saved. But ${what || "the fact-check failed"}: approval is blocked until ${numbers + problems === 1 ? "it is" : "they are"} fixed (or you approve with an override and a reason).`;
}

const DONE_MESSAGES: Record<string, string> = {
  saved: "Copy saved. Every number was checked again.",
  unchanged: "Nothing had changed, so nothing was saved.",
  approved: "Approved. The cards are being rendered for the customer.",
  rejected: "Rejected. The reason is in the history.",
  redraft: "Sent back to the drafter with your instructions.",
};
