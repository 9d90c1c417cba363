import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { activeSecrets, generateSecret, newMessageId, signatureHeader } from "../../src/webhooks/signing.js";

// Signatures are checked with the official Standard Webhooks library (npm `standardwebhooks`), the
// way a receiver would, rather than with our own HMAC code.

const headersFor = (id: string, timestamp: number, signature: string) => ({
  "webhook-id": id,
  "webhook-timestamp": String(timestamp),
  "webhook-signature": signature,
});

describe("webhook signing", () => {
  it("makes whsec_ secrets of 24 random bytes", () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(24);
    expect(generateSecret()).not.toBe(secret);
  });

  it("signs exactly as the standardwebhooks library does, and the library verifies it", () => {
    const secret = generateSecret();
    const id = newMessageId(new Date());
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({
      type: "recap.approved",
      timestamp: now.toISOString(),
      data: { recapId: "r1", name: "Õun" },
    });
    const header = signatureHeader([secret], id, timestamp, body);
    expect(header).toBe(new Webhook(secret).sign(id, new Date(timestamp * 1000), body));
    expect(new Webhook(secret).verify(body, headersFor(id, timestamp, header))).toMatchObject({
      type: "recap.approved",
    });
    expect(() => new Webhook(generateSecret()).verify(body, headersFor(id, timestamp, header))).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headersFor(id, timestamp, header))).toThrow();
  });

  it("signs with both secrets during a rotation, so either verifies", () => {
    const now = new Date();
    const endpoint = {
      secret: generateSecret(),
      previousSecret: generateSecret(),
      previousSecretExpiresAt: new Date(now.getTime() + 60_000),
    };
    const secrets = activeSecrets(endpoint, now);
    expect(secrets).toEqual([endpoint.secret, endpoint.previousSecret]);
    const timestamp = Math.floor(now.getTime() / 1000);
    const header = signatureHeader(secrets, "msg_1", timestamp, "{}");
    expect(header.split(" ")).toHaveLength(2);
    for (const secret of secrets) {
      expect(new Webhook(secret).verify("{}", headersFor("msg_1", timestamp, header))).toEqual({});
    }
    expect(activeSecrets(endpoint, new Date(now.getTime() + 60_000))).toEqual([endpoint.secret]);
  });

  it("gives message ids that sort by time", () => {
    const first = newMessageId(new Date("2026-01-01T00:00:00Z"));
    const second = newMessageId(new Date("2026-01-01T00:00:01Z"));
    expect(first).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(first < second).toBe(true);
  });
});
