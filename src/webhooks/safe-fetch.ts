import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { checkTargetUrl, refusedAddressReason, type TargetPolicy } from "./address-policy.js";

/** Resolves a host name to every address it has (A and AAAA). Injectable, so tests can fake DNS. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** The request never left, or never came back: refused target, DNS, connection, timeout. */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly kind: "refused" | "dns" | "network" | "timeout",
  ) {
    super(message);
    this.name = "TargetError";
  }
}

export type SafePostOptions = {
  headers: Record<string, string>;
  body: string;
  policy: TargetPolicy;
  /** The whole exchange (DNS, connect, TLS, response head and snippet) must finish in this time. */
  timeoutMs: number;
  resolve?: Resolver;
  /** How much of the response body to keep (and read); the rest is discarded unread. */
  maxResponseBytes?: number;
};

export type SafeResponse = { status: number; location: string | null; snippet: string };

/**
 * Resolves the URL's host, refuses it unless every address is public (or exempted by the policy),
 * and returns the address to connect to. Checking every address stops a name from mixing a public
 * and a private record.
 */
export async function resolveTarget(rawUrl: string, policy: TargetPolicy, resolve: Resolver = systemResolver) {
  const checked = checkTargetUrl(rawUrl, policy);
  if (!checked.ok) throw new TargetError(`refused: the URL ${checked.message}`, "refused");
  const { url, host } = checked;
  if (isIP(host)) return { url, host, address: host, family: isIP(host) };
  let addresses: { address: string; family: number }[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "error";
    throw new TargetError(`DNS lookup of ${host} failed (${code})`, "dns");
  }
  if (addresses.length === 0) throw new TargetError(`DNS lookup of ${host} returned no address`, "dns");
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address, policy);
    if (reason) throw new TargetError(`refused: ${host} resolves to ${reason} (${address})`, "refused");
  }
  const first = addresses[0]!;
  return { url, host, address: first.address, family: first.family };
}

/** A `lookup` that answers with the address already checked, so the socket cannot be re-pointed (DNS rebinding). */
function pinnedLookup(address: string, family: number): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: object[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** The first `max` bytes as text, never longer than `max` bytes and without NULs (PostgreSQL text refuses them). */
export function snippetOf(bytes: Buffer, max: number): string {
  let text = bytes.subarray(0, max).toString("utf8");
  while (Buffer.byteLength(text) > max) text = text.slice(0, -1);
  return text.replaceAll("\u0000", "");
}

/**
 * POSTs to a webhook URL without letting it reach the service's own network: the host is resolved
 * here and checked, the socket connects to that very address (Host and SNI keep the name), redirects
 * are returned rather than followed, and everything is bounded by `timeoutMs`.
 */
export async function safePost(rawUrl: string, options: SafePostOptions): Promise<SafeResponse> {
  const maxBytes = options.maxResponseBytes ?? 1024;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const timedOut = () => new TargetError(`timed out after ${options.timeoutMs} ms`, "timeout");
  const target = await Promise.race([
    resolveTarget(rawUrl, options.policy, options.resolve),
    new Promise<never>((_, reject) => deadline.addEventListener("abort", () => reject(timedOut()), { once: true })),
  ]);
  const { url, host, address, family } = target;
  const client = url.protocol === "https:" ? https : http;

  return new Promise<SafeResponse>((resolvePromise, reject) => {
    let settled = false;
    const finish = (error: Error | null, value?: SafeResponse) => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolvePromise(value as SafeResponse);
    };
    const request = client.request({
      method: "POST",
      protocol: url.protocol,
      hostname: host,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: { ...options.headers, host: url.host, "content-length": String(Buffer.byteLength(options.body)) },
      // A fresh socket per delivery: a pooled one could have been opened for another address.
      agent: false,
      lookup: pinnedLookup(address, family),
      ...(url.protocol === "https:" && !isIP(host) ? { servername: host } : {}),
    });
    const onAbort = () => {
      request.destroy();
      finish(timedOut());
    };
    if (deadline.aborted) return onAbort();
    deadline.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error: Error & { code?: string }) =>
      finish(new TargetError(`${error.code ?? "request failed"}: ${error.message}`, "network")),
    );
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        response.destroy();
        finish(null, {
          status: response.statusCode ?? 0,
          location: response.headers.location ?? null,
          snippet: snippetOf(Buffer.concat(chunks), maxBytes),
        });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxBytes) done();
      });
      response.on("end", done);
      response.on("error", done);
      response.on("aborted", done);
    });
    request.end(options.body);
  });
}
