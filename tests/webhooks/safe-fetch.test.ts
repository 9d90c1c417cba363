import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TargetPolicy } from "../../src/webhooks/address-policy.js";
import { type Resolver, safePost, snippetOf, TargetError } from "../../src/webhooks/safe-fetch.js";
import { type Receiver, startReceiver } from "./receiver.js";

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

const allowLoopback: TargetPolicy = {
  allowInsecure: true,
  allowPrivate: false,
  allowedPorts: "any",
  allowedAddresses: ["127.0.0.1"],
};
const noExemptions: TargetPolicy = {
  allowInsecure: true,
  allowPrivate: false,
  allowedPorts: "any",
  allowedAddresses: [],
};

/** A fake DNS: each name answers with the given addresses, and every question is counted. */
function fakeDns(records: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: Resolver = async (hostname) => {
    asked.push(hostname);
    const addresses = records[hostname];
    if (!addresses) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, asked };
}

const post = (url: string, policy: TargetPolicy, extra: { resolve?: Resolver; timeoutMs?: number } = {}) =>
  safePost(url, { headers: { "content-type": "application/json" }, body: "{}", policy, timeoutMs: 2000, ...extra });

async function refusal(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TargetError)) throw new Error(`expected a TargetError, got ${String(error)}`);
  return error;
}

describe("safePost", () => {
  it("posts to an allowed address and returns the status and the start of the body", async () => {
    receiver.script("/ok", { status: 202, body: "accepted" });
    const response = await post(`${receiver.origin}/ok`, allowLoopback);
    expect(response).toEqual({ status: 202, location: null, snippet: "accepted" });
    expect(receiver.received("/ok")).toHaveLength(1);
  });

  it("refuses 127.0.0.1 when the policy does not name it, without sending anything", async () => {
    const error = await refusal(post(`${receiver.origin}/not-allowed`, noExemptions));
    expect(error.kind).toBe("refused");
    expect(error.message).toContain("loopback");
    expect(receiver.received("/not-allowed")).toEqual([]);
  });

  it("refuses http:// unless insecure URLs are allowed", async () => {
    const error = await refusal(
      post(`${receiver.origin}/plain`, {
        allowInsecure: false,
        allowPrivate: false,
        allowedPorts: "any",
        allowedAddresses: ["127.0.0.1"],
      }),
    );
    expect(error.message).toContain("https://");
    expect(receiver.received("/plain")).toEqual([]);
  });

  it.each([
    ["10.0.0.0/8", "http://10.1.2.3/hook", "private"],
    ["::1", "http://[::1]/hook", "loopback"],
    ["169.254.169.254", "http://169.254.169.254/latest/meta-data/", "metadata"],
    ["fd00::/8", "http://[fd00::1]/hook", "unique local"],
    ["localhost", "http://localhost/hook", "public host name"],
  ])("refuses %s before any DNS or connection", async (_label, url, message) => {
    const dns = fakeDns({});
    const error = await refusal(post(url, allowLoopback, { resolve: dns.resolve }));
    expect(error.kind).toBe("refused");
    expect(error.message).toContain(message);
    expect(dns.asked).toEqual([]);
  });

  it.each([
    ["a private address", ["10.0.0.7"], "private"],
    ["the metadata address", ["169.254.169.254"], "metadata"],
    ["a ULA IPv6 address", ["fd00::7"], "unique local"],
    ["an IPv4-mapped loopback", ["::ffff:127.0.0.1"], "loopback"],
    ["one public and one private address", ["93.184.215.14", "192.168.0.5"], "private"],
  ])("refuses a host name that resolves to %s", async (_label, addresses, message) => {
    const dns = fakeDns({ "hooks.example.test": addresses });
    const error = await refusal(post("http://hooks.example.test/hook", allowLoopback, { resolve: dns.resolve }));
    expect(error.kind).toBe("refused");
    expect(error.message).toContain(message);
  });

  it("connects to the address it checked, once resolved, keeping the host name in the Host header", async () => {
    // The name resolves to an exempted address; a rebinding answer afterwards would not be asked for.
    const dns = fakeDns({ "hooks.example.test": ["127.0.0.1"] });
    const response = await post(`http://hooks.example.test:${receiver.port}/pinned`, allowLoopback, {
      resolve: dns.resolve,
    });
    expect(response.status).toBe(200);
    expect(dns.asked).toEqual(["hooks.example.test"]);
    expect(receiver.received("/pinned")[0]?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });

  it("reports an unknown host name as a DNS failure", async () => {
    const error = await refusal(post("http://nowhere.example.test/", allowLoopback, { resolve: fakeDns({}).resolve }));
    expect(error).toMatchObject({ kind: "dns", message: expect.stringContaining("ENOTFOUND") });
  });

  it("returns a redirect instead of following it", async () => {
    receiver.script("/redirect", { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
    const response = await post(`${receiver.origin}/redirect`, allowLoopback);
    expect(response).toMatchObject({ status: 302, location: "http://169.254.169.254/latest/meta-data/" });
    expect(receiver.received("/redirect")).toHaveLength(1);
  });

  it("gives up after the timeout", async () => {
    receiver.script("/slow", { status: 200, delayMs: 5000 });
    const error = await refusal(post(`${receiver.origin}/slow`, allowLoopback, { timeoutMs: 300 }));
    expect(error).toMatchObject({ kind: "timeout", message: "timed out after 300 ms" });
  });

  it("reads at most 1 KB of the response", async () => {
    receiver.script("/big", { status: 500, body: "é".repeat(5000) });
    const response = await post(`${receiver.origin}/big`, allowLoopback);
    expect(response.status).toBe(500);
    expect(Buffer.byteLength(response.snippet)).toBeLessThanOrEqual(1024);
    expect(response.snippet.length).toBe(512);
  });

  it("keeps snippets within the limit even when a character is cut", () => {
    expect(Buffer.byteLength(snippetOf(Buffer.from(`a${"é".repeat(600)}`), 1024))).toBeLessThanOrEqual(1024);
    expect(snippetOf(Buffer.from("a\u0000b"), 1024)).toBe("ab");
  });
});
