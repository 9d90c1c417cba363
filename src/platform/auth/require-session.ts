import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/app-env.js";

/** Pages for signed-in people: without a session, go to the sign-in form and come back after. */
export function requireSessionPage(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = c.get("session");
    if (!session) {
      const back = new URL(c.req.url);
      return c.redirect(`/review/login?next=${encodeURIComponent(back.pathname + back.search)}`, 303);
    }
    c.set("principal", session);
    // Signed-in pages hold personal data and the session's CSRF token: never cache them.
    c.header("cache-control", "no-store");
    await next();
  };
}
