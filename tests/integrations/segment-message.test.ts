import { describe, expect, it } from "vitest";
import { explicitAccount, trackToUsageEvent, traitsToProfile } from "../../src/integrations/segment/segment-message.js";

const now = new Date("2026-12-01T12:00:00.000Z");

describe("trackToUsageEvent", () => {
  it("keeps the event name, takes messageId as event_id, timestamp before originalTimestamp, and a numeric quantity", () => {
    const mapped = trackToUsageEvent(
      {
        event: "Order Completed",
        messageId: "m-1",
        timestamp: "2026-11-30T10:00:00.000Z",
        originalTimestamp: "2026-11-30T09:59:58.000Z",
        properties: { quantity: 2.5 },
      },
      "acme",
      now,
    );
    expect(mapped).toEqual({
      event: {
        account: "acme",
        event: "Order Completed",
        quantity: 2.5,
        occurred_at: "2026-11-30T10:00:00.000Z",
        event_id: "m-1",
        properties: { quantity: 2.5 },
      },
    });
  });

  it("counts 1 when quantity is not a number, and uses the arrival time when no timestamp is given", () => {
    const mapped = trackToUsageEvent({ event: "automation.run", properties: { quantity: "7" } }, "acme", now);
    expect(mapped).toMatchObject({ event: { quantity: 1, occurred_at: now.toISOString() } });
    expect("event" in mapped ? mapped.event.event_id : "refused").toBeUndefined();
  });

  it("refuses a negative quantity, as POST /v1/events does", () => {
    expect(trackToUsageEvent({ event: "refund", properties: { quantity: -3 } }, "acme", now)).toHaveProperty("refused");
  });

  it("refuses a track without an event name, with a bad timestamp, or one more than 5 years away", () => {
    expect(trackToUsageEvent({ messageId: "x" }, "acme", now)).toHaveProperty("refused");
    expect(trackToUsageEvent({ event: "a", timestamp: "yesterday" }, "acme", now)).toMatchObject({
      refused: expect.stringContaining("timestamp"),
    });
    expect(trackToUsageEvent({ event: "a", timestamp: "2011-01-01T00:00:00Z" }, "acme", now)).toEqual({
      refused: "timestamp must be within 5 years of now",
    });
    expect(trackToUsageEvent({ event: "two  spaces" }, "acme", now)).toHaveProperty("refused");
  });
});

describe("explicitAccount", () => {
  it("prefers context.groupId over properties.account_id, and reads numbers as ids", () => {
    expect(explicitAccount({ context: { groupId: "g" }, properties: { account_id: "p" } })).toBe("g");
    expect(explicitAccount({ properties: { account_id: 42 } })).toBe("42");
    expect(explicitAccount({ context: { groupId: "" } })).toBeUndefined();
  });
});

describe("traitsToProfile", () => {
  it("takes name, a locale's language, an upper-cased currency and an IANA time zone", () => {
    expect(
      traitsToProfile({ name: "  Kide  Oy ", locale: "fi_FI", currency: "eur", timeZone: "Europe/Helsinki" }),
    ).toEqual({
      profile: { name: "Kide Oy", locale: "fi", currency: "EUR", timeZone: "Europe/Helsinki" },
      invalid: [],
    });
  });

  it("leaves out invalid traits, names them, and ignores traits it does not know", () => {
    const { profile, invalid } = traitsToProfile({
      locale: "fr-FR",
      currency: "EURO",
      time_zone: "Mars/Base",
      plan: "pro",
    });
    expect(profile).toEqual({});
    expect(invalid).toHaveLength(3);
  });
});
