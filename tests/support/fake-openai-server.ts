import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small OpenAI-compatible server on a real loopback socket, so tests drive the real `openai`
 * client over HTTP: POST /v1/chat/completions, answered from a script of replies.
 *
 *   const openai = await startFakeOpenAi();
 *   openai.reply({ status: 429, retryAfterMs: 10 }, { json: copy });
 *   const drafter = createOpenAiDrafter({ baseURL: openai.baseURL, ... });
 *   openai.requests[1].body.messages  // what the model was told
 */

export type FakeUsage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

type Common = {
  /** Wait this long before answering (a slow model, or one that outlasts the client's timeout). */
  delayMs?: number;
  headers?: Record<string, string>;
};

/** A completion: `content` as the model wrote it, or `json` stringified. */
export type CompletionReply = Common &
  ({ content: string | null } | { json: unknown }) & {
    refusal?: string;
    finishReason?: "stop" | "length" | "content_filter";
    /** null sends no usage at all, as some compatible servers do. */
    usage?: Partial<FakeUsage> | null;
  };

/** An error the way OpenAI sends one: `{ error: { message, type, code } }`, or any `body`. */
export type ErrorReply = Common & {
  status: number;
  error?: { message?: string; type?: string; code?: string | null };
  /** Replaces the whole body (a string is sent as it is). */
  body?: unknown;
  /** Sent as `retry-after-ms`, which the client prefers to `retry-after`. */
  retryAfterMs?: number;
};

export type FakeRequest = {
  method: string;
  path: string;
  /** Lower-case names, as node gives them. */
  headers: Record<string, string>;
  body: FakeChatBody;
  raw: string;
  /** Date.now() when the request arrived. */
  at: number;
};

export type FakeChatBody = {
  model?: string;
  messages?: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  [key: string]: unknown;
};

export type FakeReply = CompletionReply | ErrorReply | ((request: FakeRequest) => FakeReply | Promise<FakeReply>);

export type FakeOpenAi = {
  /** Ends in /v1, as the client expects. */
  baseURL: string;
  /** Every request, in order of arrival, including the ones still waiting on a delay. */
  requests: FakeRequest[];
  /** Queues replies, one per request, in order. */
  reply(...replies: FakeReply[]): FakeOpenAi;
  /** The reply once the queue is empty (by default an unretryable 500 that names the mistake). */
  always(reply: FakeReply): FakeOpenAi;
  /** Replies queued and not used yet. */
  pending(): number;
  close(): Promise<void>;
};

export const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 812, completion_tokens: 214, total_tokens: 1026 };

const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory", message: "Forbidden." },
  404: { type: "invalid_request_error", code: "model_not_found", message: "The model does not exist." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests." },
};

const NOTHING_SCRIPTED: ErrorReply = {
  status: 500,
  error: { message: "fake-openai: no reply scripted for this request", type: "server_error" },
  headers: { "x-should-retry": "false" },
};

const isError = (reply: CompletionReply | ErrorReply): reply is ErrorReply => "status" in reply;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed || res.writableEnded) return;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}

function completionBody(reply: CompletionReply, model: string) {
  const content = "json" in reply ? JSON.stringify(reply.json) : reply.content;
  const usage = reply.usage === null ? undefined : { ...DEFAULT_USAGE, ...reply.usage };
  if (usage && reply.usage && reply.usage.total_tokens === undefined)
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return {
    id: `chatcmpl-${randomBytes(8).toString("hex")}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: reply.refusal ?? null },
        logprobs: null,
        finish_reason: reply.finishReason ?? "stop",
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

function errorResponse(reply: ErrorReply) {
  const defaults = ERROR_TYPES[reply.status] ?? { type: "server_error", code: null, message: "Internal error." };
  const body = reply.body ?? { error: { ...defaults, param: null, ...reply.error } };
  const headers = { ...reply.headers };
  if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
  return { body, headers };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The environment that points the service's own configured drafter (createDrafter) at the fake
 * server: a short time-out and no retries, so a test about a failing model does not wait.
 */
export function openAiTestEnv(openai: Pick<FakeOpenAi, "baseURL">, apiKey: string): Record<string, string> {
  return {
    OPENAI_API_KEY: apiKey,
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_MODEL: "test-model",
    OPENAI_TIMEOUT_MS: "2000",
    OPENAI_MAX_RETRIES: "0",
  };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeReply[] = [];
  let fallback: FakeReply = NOTHING_SCRIPTED;
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
      // The client gave up (its timeout): stop waiting, there is no one to answer.
      res.on("close", () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve();
      });
    });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      send(res, 404, {
        error: { message: `Unknown request URL: ${req.method} ${path}`, type: "invalid_request_error" },
      });
      return;
    }
    let body: FakeChatBody;
    try {
      body = JSON.parse(raw) as FakeChatBody;
    } catch {
      send(res, 400, {
        error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error" },
      });
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(", ") : (value ?? ""),
      ]),
    );
    const request: FakeRequest = { method: req.method, path, headers, body, raw, at: Date.now() };
    requests.push(request);

    let reply = queue.shift() ?? fallback;
    while (typeof reply === "function") reply = await reply(request);
    if (reply.delayMs) await wait(reply.delayMs, res);
    if (isError(reply)) {
      const { body: errorBody, headers: errorHeaders } = errorResponse(reply);
      send(res, reply.status, errorBody, errorHeaders);
    } else {
      send(res, 200, completionBody(reply, body.model ?? "fake-model"), reply.headers);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, { error: { message: String(error), type: "server_error" } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeOpenAi = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply(...replies) {
      queue.push(...replies);
      return fake;
    },
    always(reply) {
      fallback = reply;
      return fake;
    },
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}

/** The system message and the user messages of a recorded request. */
export function messagesOf(request: FakeRequest): { system: string; user: string[] } {
  const messages = request.body.messages ?? [];
  return {
    system: messages
      .filter((message) => message.role === "system")
      .map((message) => message.content)
      .join("\n"),
    user: messages.filter((message) => message.role === "user").map((message) => message.content),
  };
}
