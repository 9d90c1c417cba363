import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ReactNode } from "react";
import type { Deps } from "../deps.js";
import type { SupportedLocale } from "../i18n/locales.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import type { Tenant } from "../platform/tenancy/tenants.js";
import type { RecapWithAccount } from "../recaps/recaps.js";
import { loadShareHub } from "./share-hub.js";
import { ShareHub } from "./share-hub.page.js";
import { SHARE_HUB_SCRIPT, SHARE_HUB_SCRIPT_PATH } from "./share-hub-script.js";

export function registerShareHubScript(app: OpenAPIHono<AppEnv>) {
  app.get(SHARE_HUB_SCRIPT_PATH, (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=3600");
    c.header("x-content-type-options", "nosniff");
    return c.body(SHARE_HUB_SCRIPT);
  });
}

/** The share hub for the customer's page: only a published recap has one. */
export async function shareHubFor(
  deps: Deps,
  c: Context<AppEnv>,
  input: { recap: RecapWithAccount; tenant: Tenant; lang: SupportedLocale },
): Promise<ReactNode> {
  if (input.recap.state !== "published" || !input.recap.copy) return undefined;
  const view = await loadShareHub(deps, { ...input, base: publicBaseUrl(c, deps.config) });
  return <ShareHub view={view} lang={input.lang} recapLocale={input.recap.locale} />;
}
