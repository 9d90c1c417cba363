// The README's SDK example, verbatim: tests/sdk/readme-example.test.ts runs it against a started service.
import {
  asProblem,
  createOutcomeRecapClient,
  OutcomeRecapError,
  sendEvents,
  type UsageEvent,
  waitForRecap,
} from "@outcome-recap/sdk";

export async function recapLastQuarter(baseUrl: string, apiKey: string, events: UsageEvent[]) {
  const client = createOutcomeRecapClient({ baseUrl, apiKey });
  // 1. your customer, once and on change (paths, bodies and answers are typed from /openapi.json)
  const account = await client.PUT("/v1/accounts/{externalId}", {
    params: { path: { externalId: "kide-analytics" } },
    body: { name: "Kide Analytics Oy", locale: "fi", currency: "EUR", timeZone: "Europe/Helsinki" },
  });
  if (account.error) throw new OutcomeRecapError(account.response.status, asProblem(account.error));
  // 2. their usage: any number of events, 10,000 a request, retried on 429/5xx with one Idempotency-Key a batch
  const sent = await sendEvents(client, events);
  // 3. a recap for last quarter, drafted by a job: wait until it is ready for review
  const created = await client.POST("/v1/recaps", { body: { account: "kide-analytics" } });
  if (created.error) throw new OutcomeRecapError(created.response.status, asProblem(created.error));
  const recap = await waitForRecap(client, created.data.id, ["pending_review", "approved"]);
  return { sent, recap };
}
