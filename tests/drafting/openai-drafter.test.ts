import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RecapCopy } from "../../src/drafting/copy.schema.js";
import { DrafterUnavailableError, type DraftInput } from "../../src/drafting/drafter.types.js";
import { createOpenAiDrafter, type OpenAiDrafterOptions } from "../../src/drafting/openai-drafter.js";
import { DATA_CLOSE, DATA_OPEN, PROMPT_VERSION } from "../../src/drafting/prompt.js";
import { draftInput, fact, handMadeDigest } from "../support/digests.js";
import { DEFAULT_USAGE, type FakeOpenAi, messagesOf, startFakeOpenAi } from "../support/fake-openai-server.js";

const API_KEY = "sk-test-0123456789abcdefSECRET";

function makeInput(overrides: Partial<DraftInput> = {}): DraftInput {
  const digest = handMadeDigest(
    [
      fact("metric:hours_saved", "Hours saved", "hours", 1284, { changePercent: 12.5, moneyValue: 51360 }),
      fact("metric:invoices", "Invoices automated", "count", 9120, { percentileBand: 10 }),
      fact("roi", "Return on investment", "ratio", 8.1),
    ],
    { peerGroup: { segment: "Accounting", size: 40, shown: true } },
  );
  return draftInput(digest, "fi", "A", {
    account: { name: "Kirjanpito Oy" },
    tenant: { name: "Ledgerly Ltd", productName: "Ledgerly" },
    ...overrides,
  });
}

const goodCopy: RecapCopy = {
  headline: "Säästimme 1 284 h kirjanpidossa",
  subheadline: "Q3 2026 Ledgerlyn kanssa: vähemmän rutiinia, enemmän aikaa asiakkaille.",
  highlights: [
    { factId: "metric:hours_saved", text: "1 284 h säästettyä aikaa, +12,5 %" },
    { factId: "metric:invoices", text: "9 120 laskua automatisoitu" },
    { factId: "roi", text: "Sijoitus maksoi itsensä takaisin 8,1×" },
  ],
  linkedinPost: "Q3 2026 oli meille hyvä neljännes. Säästimme 1 284 h. #kirjanpito #automaatio",
  callToAction: "Katso oma tuloksesi",
  imageAlt: "Kortti: 1 284 h säästetty, 9 120 laskua, 8,1× tuotto.",
  transparencyNote: "Luvut perustuvat omaan käyttöömme; teksti on luonnosteltu tekoälyllä ja tarkistettu.",
};

let openai: FakeOpenAi;
beforeEach(async () => {
  openai = await startFakeOpenAi();
});
afterEach(async () => {
  await openai.close();
});

const drafter = (options: Partial<OpenAiDrafterOptions> = {}) =>
  createOpenAiDrafter({
    apiKey: API_KEY,
    baseURL: openai.baseURL,
    model: "gpt-test",
    timeoutMs: 2_000,
    maxRetries: 0,
    ...options,
  });

describe("the OpenAI drafter", () => {
  it("names itself, its model and the prompt version", () => {
    const subject = drafter();
    expect(subject).toMatchObject({ name: "openai", model: "gpt-test", promptVersion: PROMPT_VERSION });
  });

  it("returns the parsed copy and the token usage of a good reply", async () => {
    openai.reply({ json: goodCopy });
    const attempt = await drafter().draft(makeInput(), []);
    expect(attempt).toEqual({
      ok: true,
      copy: goodCopy,
      usage: { promptTokens: 812, completionTokens: 214, totalTokens: 1026 },
    });
  });

  it("sends the model, a strict json_schema response format and the key as a bearer token", async () => {
    openai.reply({ json: goodCopy });
    await drafter().draft(makeInput(), []);
    const [request] = openai.requests;
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.body.model).toBe("gpt-test");
    const format = request!.body.response_format!;
    expect(format.type).toBe("json_schema");
    expect(format.json_schema).toMatchObject({ name: "recap_copy", strict: true });
    expect(request!.body).not.toHaveProperty("temperature");
    const { system, user } = messagesOf(request!);
    expect(system).toContain("Finnish");
    expect(user).toHaveLength(1);
    expect(user[0]).toContain(DATA_OPEN);
  });

  it("sends a schema that OpenAI's strict mode accepts", async () => {
    openai.reply({ json: goodCopy });
    await drafter().draft(makeInput(), []);
    const schema = openai.requests[0]!.body.response_format!.json_schema!.schema;
    const objects: Record<string, unknown>[] = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (record.type === "object") objects.push(record);
      for (const value of Object.values(record)) walk(value);
    };
    walk(schema);
    expect(schema.type).toBe("object");
    expect(schema).not.toHaveProperty("$schema");
    // The copy, a highlight, and an alternative wording (headline and post) for the end customer.
    expect(objects).toHaveLength(3);
    for (const object of objects) {
      expect(object.additionalProperties).toBe(false);
      expect(object.required).toEqual(Object.keys(object.properties as object));
    }
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/"(minLength|maxLength)"/);
    const properties = schema.properties as Record<string, { description?: string; minItems?: number; items?: never }>;
    expect(properties.headline!.description).toContain("At most 60 characters");
    expect(properties.highlights).toMatchObject({
      minItems: 3,
      maxItems: 3,
      items: { properties: { factId: { enum: ["metric:hours_saved", "metric:invoices", "roi"] } } },
    });
  });

  it("accepts a reply without usage and reports the usage as unknown", async () => {
    openai.reply({ json: goodCopy, usage: null });
    const attempt = await drafter().draft(makeInput(), []);
    expect(attempt).toMatchObject({ ok: true, usage: null });
  });

  it("turns malformed JSON into a failed attempt that still reports usage", async () => {
    openai.reply({ content: '{"headline": "Säästimme 1 284 h",' });
    const attempt = await drafter().draft(makeInput(), []);
    expect(attempt).toEqual({ ok: false, reasons: ["the reply was not valid JSON"], usage: expect.any(Object) });
    expect(attempt.usage?.totalTokens).toBe(DEFAULT_USAGE.total_tokens);
  });

  it("lists every schema violation as path and message", async () => {
    openai.reply({
      json: {
        ...goodCopy,
        headline: "x".repeat(90),
        linkedinPost: "Hyvä neljännes. #yksi #kaksi #kolme #neljä",
        mood: "ecstatic",
      },
    });
    const attempt = await drafter().draft(makeInput(), []);
    expect(attempt.ok).toBe(false);
    if (attempt.ok) return;
    expect(attempt.reasons).toHaveLength(3);
    expect(attempt.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^headline: .*60/),
        "linkedinPost: at most 3 hashtags",
        expect.stringMatching(/^\(root\): .*mood/),
      ]),
    );
    expect(attempt.usage).not.toBeNull();
  });

  it("rejects a highlight about a fact that is not in the digest", async () => {
    const highlights = [...goodCopy.highlights];
    highlights[2] = { factId: "metric:made_up", text: "8,1×" };
    openai.reply({ json: { ...goodCopy, highlights } });
    const attempt = await drafter().draft(makeInput(), []);
    expect(attempt).toMatchObject({
      ok: false,
      reasons: ['highlights.2.factId "metric:made_up" is not a fact of this digest'],
    });
  });

  it("fails a refusal, an empty reply and a reply cut off at the token limit", async () => {
    openai.reply(
      { content: null, refusal: "I can't help with that." },
      { content: "" },
      { content: '{"headline": "Säästimme', finishReason: "length" },
    );
    const subject = drafter();
    const reasons = [];
    for (let i = 0; i < 3; i++) {
      const attempt = await subject.draft(makeInput(), []);
      expect(attempt.ok).toBe(false);
      if (!attempt.ok) reasons.push(attempt.reasons[0]);
    }
    expect(reasons).toEqual([
      "the model refused: I can't help with that.",
      "the reply was empty",
      "the reply was cut off at the token limit",
    ]);
  });

  it("tells the model what was wrong with the previous try", async () => {
    openai.reply({ json: { ...goodCopy, headline: "x".repeat(90) } }, { json: goodCopy });
    const subject = drafter();
    const first = await subject.draft(makeInput(), []);
    expect(first.ok).toBe(false);
    const feedback = first.ok ? [] : [...first.reasons, 'the number "1 300 h" matches no fact'];
    const second = await subject.draft(makeInput(), feedback);
    expect(second.ok).toBe(true);

    expect(messagesOf(openai.requests[0]!).user).toHaveLength(1);
    const { user } = messagesOf(openai.requests[1]!);
    expect(user).toHaveLength(2);
    const listed = JSON.parse(user[1]!.split("\n")[1]!) as string[];
    expect(listed).toEqual(feedback);
    expect(user[1]).toContain("previous reply was rejected");
  });
});

describe("the OpenAI drafter when the server struggles", () => {
  it("retries a 429 and honours its Retry-After", async () => {
    // 0.6 s is longer than the client's own first backoff (at most 0.5 s), so the gap proves the header was read.
    openai.reply({ status: 429, headers: { "retry-after": "0.6" } }, { json: goodCopy });
    const attempt = await drafter({ maxRetries: 2 }).draft(makeInput(), []);
    expect(attempt.ok).toBe(true);
    expect(openai.requests).toHaveLength(2);
    expect(openai.requests.map((request) => request.headers["x-stainless-retry-count"])).toEqual(["0", "1"]);
    expect(openai.requests[1]!.at - openai.requests[0]!.at).toBeGreaterThanOrEqual(590);
  });

  it("retries two 500s and succeeds on the third request", async () => {
    openai.reply({ status: 500, retryAfterMs: 5 }, { status: 502, retryAfterMs: 5 }, { json: goodCopy });
    const attempt = await drafter({ maxRetries: 2 }).draft(makeInput(), []);
    expect(attempt.ok).toBe(true);
    expect(openai.requests.map((request) => request.headers["x-stainless-retry-count"])).toEqual(["0", "1", "2"]);
  });

  it("gives up on a server that keeps failing, after its retries", async () => {
    openai.always({ status: 500, retryAfterMs: 5 });
    const error = await drafter({ maxRetries: 2 })
      .draft(makeInput(), [])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DrafterUnavailableError);
    expect((error as Error).message).toMatch(/failing \(500\) after 2 retries/);
    expect(openai.requests).toHaveLength(3);
  });

  it("gives up on a 429 that outlasts the retries", async () => {
    openai.always({ status: 429, retryAfterMs: 5 });
    await expect(drafter({ maxRetries: 1 }).draft(makeInput(), [])).rejects.toThrow(/rate limiting.*\(429\)/);
    expect(openai.requests).toHaveLength(2);
  });

  it("times out a server slower than the timeout, retrying once", async () => {
    openai.always({ json: goodCopy, delayMs: 2_000 });
    const error = await drafter({ timeoutMs: 200, maxRetries: 1 })
      .draft(makeInput(), [])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DrafterUnavailableError);
    expect((error as Error).message).toMatch(/did not answer within 200 ms after 1 retries/);
    expect(openai.requests).toHaveLength(2);
  });

  it("reports a server that cannot be reached", async () => {
    const baseURL = openai.baseURL;
    await openai.close();
    openai = await startFakeOpenAi();
    await expect(drafter({ baseURL }).draft(makeInput(), [])).rejects.toThrow(/could not connect to the model server/);
  });

  it("reports a rejected key without leaking it, even when the server echoes it", async () => {
    openai.reply({ status: 401, error: { message: `Incorrect API key provided: ${API_KEY}.` } });
    const error = await drafter({ maxRetries: 2 })
      .draft(makeInput(), [])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DrafterUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain("401");
    expect(message).not.toContain(API_KEY);
    expect(message).not.toContain("sk-");
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(openai.requests).toHaveLength(1);
  });

  it("reports a 403 and an unknown model without retrying", async () => {
    openai.reply(
      { status: 403 },
      { status: 404, error: { message: `The model 'gpt-test' does not exist, key ${API_KEY}` } },
    );
    const subject = drafter({ maxRetries: 2 });
    await expect(subject.draft(makeInput(), [])).rejects.toThrow(/denied access \(403\)/);
    const error = await subject.draft(makeInput(), []).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DrafterUnavailableError);
    expect((error as Error).message).toMatch(/not found \(404\); check the model "gpt-test"/);
    expect((error as Error).message).not.toContain(API_KEY);
    expect(openai.requests).toHaveLength(2);
  });
});

describe("the data block", () => {
  it("carries every number as formatted and the headline fact ids", async () => {
    openai.reply({ json: goodCopy });
    const input = makeInput();
    await drafter().draft(input, []);
    const user = messagesOf(openai.requests[0]!).user[0]!;
    const block = user.slice(user.indexOf(DATA_OPEN) + DATA_OPEN.length, user.indexOf(DATA_CLOSE));
    const data = JSON.parse(block);
    expect(data.highlightFactIds).toEqual(input.digest.headline);
    expect(data.facts[0]).toMatchObject({
      factId: "metric:hours_saved",
      label: "Hours saved",
      value: input.formatted[0]!.value,
      change: input.formatted[0]!.change,
    });
    expect(data.facts[1].topPercentOfPeers).toBe(input.formatted[1]!.band);
    expect(data.period).toBe("Q3\u00a02026");
  });

  it("gives a milestone draft the moment's name and what the rule saw, so the copy can be about the moment", async () => {
    openai.reply({ json: goodCopy });
    await drafter().draft(
      makeInput({
        kind: "milestone",
        moment: "Ensimmäinen integraatio käytössä",
        milestone: "first integration.added",
      }),
      [],
    );
    const { system, user } = messagesOf(openai.requests[0]!);
    const data = JSON.parse(
      user[0]!.slice(user[0]!.indexOf(DATA_OPEN) + DATA_OPEN.length, user[0]!.indexOf(DATA_CLOSE)),
    );
    expect(data).toMatchObject({
      kind: "milestone",
      moment: "Ensimmäinen integraatio käytössä",
      milestone: "first integration.added",
    });
    expect(system).toContain("write the copy about that moment");
    // The customer's words stay in the data block, never in our instructions.
    expect(system).not.toContain("Ensimmäinen integraatio");
  });

  it("sends no moment for a quarterly or annual recap", async () => {
    openai.reply({ json: goodCopy });
    await drafter().draft(makeInput({ moment: "First integration live" }), []);
    const user = messagesOf(openai.requests[0]!).user[0]!;
    expect(
      JSON.parse(user.slice(user.indexOf(DATA_OPEN) + DATA_OPEN.length, user.indexOf(DATA_CLOSE))),
    ).not.toHaveProperty("moment");
  });
});
