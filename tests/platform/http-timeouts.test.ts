import type { Server } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { serveHttpApp } from "../../src/platform/http/http-server.js";
import { makeTenantWithKey } from "../support/factories.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

let t: TestContext;
let server: Server;
let port: number;
let key: string;

beforeAll(async () => {
  // Small time-outs so the test needs no long waits; the server is the one `serve` runs.
  t = await createTestContext({
    env: {
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      HTTP_HEADERS_TIMEOUT_MS: "200",
      HTTP_REQUEST_TIMEOUT_MS: "300",
    },
  });
  key = (await makeTenantWithKey(t.deps)).key;
  port = await new Promise<number>((resolve) => {
    server = serveHttpApp(t.app.fetch, { port: 0, hostname: "127.0.0.1", timeouts: t.deps.config.http }, (info) =>
      resolve(info.port),
    );
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

/** Writes `head` to a raw socket, sends nothing more, and returns what the server said before it closed the socket. */
function sendAndStall(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(head));
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(received));
  });
}

describe("a slow client", () => {
  it("that stops sending its request body is answered 408 and disconnected", async () => {
    const answer = await sendAndStall(
      "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
        `Authorization: Bearer ${key}\r\nContent-Length: 1000\r\n\r\n{"events":[`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it("that stops sending its headers is answered 408 and disconnected", async () => {
    const answer = await sendAndStall("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: a");
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it("does not disturb a request that arrives in time", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/v1/accounts`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
  });
});

describe("HTTP time-out settings", () => {
  it("default to 10 s for headers and 30 s for the whole request", () => {
    expect(loadConfig({}).http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 });
  });

  it("refuse a headers time-out longer than the request time-out, naming the variable", () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "40000" })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "40000" })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });
});
