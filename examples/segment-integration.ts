// The README's Segment example, verbatim: tests/integrations/segment.test.ts runs it against a started service.
import { Analytics } from "@segment/analytics-node";

export async function sendThroughSegment(host: string, writeKey: string) {
  // Your Segment setup with another host: the write key is an API key with events:write (+ accounts:write)
  const analytics = new Analytics({ writeKey, host, path: "/integrations/segment/v1/batch" });
  analytics.group({
    userId: "u-17",
    groupId: "kide-analytics", // the account's external id
    traits: { name: "Kide Analytics Oy", locale: "fi", currency: "EUR", timezone: "Europe/Helsinki" },
  });
  analytics.track({ userId: "u-17", event: "Report Exported", properties: { quantity: 3 } });
  await analytics.closeAndFlush(); // on shutdown: nothing queued is lost
}
