import { expect } from "vitest";
import type { App } from "../../src/app.js";
import { TEST_PASSWORD } from "./factories.js";
import type { ApiResponse } from "./http.js";

type SetCookie = { name: string; value: string; attributes: Map<string, string> };

export type Page = ApiResponse & { location: string | null; setCookies: Map<string, SetCookie>; bytes: Buffer };

function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...rest] = header.split(";");
  const eq = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [key = "", ...value] = part.trim().split("=");
    attributes.set(key.toLowerCase(), value.join("="));
  }
  return { name: pair.slice(0, eq).trim(), value: decodeURIComponent(pair.slice(eq + 1).trim()), attributes };
}

function isRemoval(cookie: SetCookie): boolean {
  const maxAge = cookie.attributes.get("max-age");
  const expires = cookie.attributes.get("expires");
  return maxAge === "0" || (expires !== undefined && new Date(expires).getTime() <= Date.now());
}

/** A tiny browser for the server-rendered pages: keeps cookies from Set-Cookie, sends forms url-encoded. */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: App,
    private readonly userAgent = "vitest-browser/1.0",
  ) {}

  get(path: string) {
    return this.send("GET", path);
  }

  post(path: string, form: Record<string, string>) {
    return this.send("POST", path, form);
  }

  async send(method: string, path: string, form?: Record<string, string>): Promise<Page> {
    const headers: Record<string, string> = { "user-agent": this.userAgent };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; ");
    }
    let body: string | undefined;
    if (form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const response = await this.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const setCookies = new Map<string, SetCookie>();
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      setCookies.set(cookie.name, cookie);
      if (isRemoval(cookie)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString("utf8");
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return {
      status: response.status,
      headers: response.headers,
      body: parsed,
      text,
      location: response.headers.get("location"),
      setCookies,
      bytes,
    };
  }

  /** Opens the sign-in form and returns the CSRF token printed in it. */
  async openLogin(next?: string): Promise<string> {
    const page = await this.get(
      next === undefined ? "/review/login" : `/review/login?next=${encodeURIComponent(next)}`,
    );
    expect(page.status).toBe(200);
    return hiddenField(page.text, "_csrf");
  }

  /** Opens the form and submits it, as a person would. */
  async signIn(email: string, password = TEST_PASSWORD, next?: string): Promise<Page> {
    const csrf = await this.openLogin();
    return this.post("/review/login", { _csrf: csrf, email, password, ...(next !== undefined ? { next } : {}) });
  }
}

export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  if (match?.[1] === undefined) throw new Error(`no hidden ${name} field in: ${html.slice(0, 500)}`);
  return match[1];
}
