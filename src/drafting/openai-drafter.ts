import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  type ClientOptions,
  PermissionDeniedError,
  RateLimitError,
} from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { z } from "zod";
import { copyMatchesDigest, MAX_ALTERNATIVES, recapCopySchema, wordingSchema } from "./copy.schema.js";
import {
  type DraftAttempt,
  type Drafter,
  DrafterUnavailableError,
  type DraftInput,
  type TokenUsage,
} from "./drafter.types.js";
import { buildMessages, PROMPT_VERSION } from "./prompt.js";
import { cleanLine, stripInvisibleDeep } from "./sanitize.js";

export type OpenAiDrafterOptions = {
  apiKey: string;
  /** Any OpenAI-compatible endpoint: Azure OpenAI (".../openai/v1/"), Ollama, vLLM. OpenAI's own by default. */
  baseURL?: string;
  model: string;
  /** Per attempt of the HTTP request; the client retries timed-out requests too. */
  timeoutMs: number;
  /** The client's own retries (exponential backoff, Retry-After honoured) on timeouts, 408, 409, 429 and 5xx. */
  maxRetries: number;
  /** Sent only when given: reasoning models accept only their default. */
  temperature?: number;
  fetch?: ClientOptions["fetch"];
};

type JsonSchema = { [key: string]: unknown };

/**
 * The copy schema in the subset OpenAI's strict mode accepts: every property required, no
 * additional properties, no string length keywords (those go into the description; the zod
 * schema still enforces them on the reply). `factIds` narrows the highlights to this digest's.
 */
export function strictCopyJsonSchema(factIds: readonly string[]): JsonSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(recapCopySchema, { io: "output" }) as JsonSchema;
  const strict = toStrict(schema) as JsonSchema & { properties: { highlights: JsonSchema & { items: JsonSchema } } };
  if (factIds.length > 0) {
    const wanted = Math.min(3, factIds.length);
    const highlights = strict.properties.highlights;
    highlights.minItems = wanted;
    highlights.maxItems = wanted;
    const properties = highlights.items.properties as { factId: JsonSchema };
    properties.factId = { ...properties.factId, enum: [...new Set(factIds)] };
  }
  // Other wordings of the headline and post for the end customer, asked for in the same reply.
  const { $schema: __, ...wording } = z.toJSONSchema(wordingSchema, { io: "output" }) as JsonSchema;
  const properties = strict.properties as Record<string, JsonSchema>;
  properties.alternatives = {
    type: "array",
    description: "Two more wordings of the headline and the LinkedIn post, each genuinely different.",
    minItems: MAX_ALTERNATIVES,
    maxItems: MAX_ALTERNATIVES,
    items: toStrict(wording),
  };
  strict.required = Object.keys(properties);
  return strict;
}

function toStrict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStrict);
  if (!node || typeof node !== "object") return node;
  const { minLength, maxLength, ...rest } = node as JsonSchema;
  const out: JsonSchema = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, toStrict(value)]));
  if (typeof maxLength === "number") {
    const limit = `At most ${maxLength} characters.`;
    out.description = typeof out.description === "string" ? `${out.description} ${limit}` : limit;
  }
  if (out.type === "object" && out.properties && typeof out.properties === "object") {
    out.required = Object.keys(out.properties);
    out.additionalProperties = false;
  }
  return out;
}

function usageOf(completion: ChatCompletion): TokenUsage | null {
  const usage = completion.usage;
  if (!usage) return null;
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    totalTokens: usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0),
  };
}

/** Some local servers wrap JSON in a Markdown fence even when asked for a JSON schema. */
function unfence(content: string): string {
  const match = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(content.trim());
  return match ? match[1]! : content;
}

/** The reply as an attempt: parsed, stripped of invisible characters, then validated. */
export function readReply(completion: ChatCompletion, factIds: readonly string[]): DraftAttempt {
  const usage = usageOf(completion);
  const fail = (...reasons: string[]): DraftAttempt => ({ ok: false, reasons, usage });
  const choice = completion.choices?.[0];
  if (!choice) return fail("the reply had no choices");
  const message = choice.message;
  if (message?.refusal) return fail(`the model refused: ${cleanLine(message.refusal, 200)}`);
  if (choice.finish_reason === "content_filter") return fail("the reply was withheld by the content filter");
  if (choice.finish_reason === "length") return fail("the reply was cut off at the token limit");
  const content = message?.content?.trim();
  if (!content) return fail("the reply was empty");
  let parsed: unknown;
  try {
    parsed = JSON.parse(unfence(content));
  } catch {
    return fail("the reply was not valid JSON");
  }
  // The alternatives are checked one by one later (draft-copy.ts): a bad one is dropped, never the copy.
  const { alternatives, ...copy } =
    parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as { alternatives?: unknown })
      : { alternatives: undefined };
  const result = recapCopySchema.safeParse(stripInvisibleDeep(parsed && typeof parsed === "object" ? copy : parsed));
  if (!result.success)
    return fail(
      ...result.error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`),
    );
  const problems = copyMatchesDigest(result.data, factIds);
  if (problems.length > 0) return fail(...problems);
  return { ok: true, copy: result.data, ...(Array.isArray(alternatives) ? { alternatives } : {}), usage };
}

/** Why the server cannot be used, in words an operator can act on; never the key or the server's own text on 401. */
function unavailable(error: unknown, options: OpenAiDrafterOptions, host: string): DrafterUnavailableError | null {
  const after = options.maxRetries > 0 ? ` after ${options.maxRetries} retries` : "";
  let message: string;
  if (error instanceof APIConnectionTimeoutError)
    message = `the model server at ${host} did not answer within ${options.timeoutMs} ms${after}`;
  else if (error instanceof APIConnectionError) message = `could not connect to the model server at ${host}${after}`;
  else if (error instanceof AuthenticationError)
    message = `the model server at ${host} rejected the API key (401); check the key`;
  else if (error instanceof PermissionDeniedError)
    message = `the model server at ${host} denied access (403); check the key's permissions for model "${options.model}"`;
  else if (error instanceof RateLimitError)
    message = `the model server at ${host} is rate limiting or out of quota (429)${after}`;
  else if (error instanceof APIError && typeof error.status === "number") {
    const detail = serverMessage(error);
    const what =
      error.status === 404
        ? `not found (404); check the model "${options.model}" and the base URL`
        : error.status >= 500
          ? `failing (${error.status})${after}`
          : `rejecting the request (${error.status})`;
    message = `the model server at ${host} is ${what}${detail ? `: ${detail}` : ""}`;
  } else return null;
  return new DrafterUnavailableError(redact(message, options.apiKey));
}

function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? cleanLine(body.message, 200) : "";
}

/** Belt and braces: the key, and anything shaped like one, never leaves in a message. */
function redact(message: string, apiKey: string): string {
  const withoutKey = apiKey.length >= 4 ? message.split(apiKey).join("[redacted]") : message;
  return withoutKey.replace(/\bsk-[\w*.-]{6,}/g, "[redacted]");
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return "the configured base URL";
  }
}

export function createOpenAiDrafter(options: OpenAiDrafterOptions): Drafter {
  const baseURL = options.baseURL ?? "https://api.openai.com/v1";
  // Everything explicit, so the client reads nothing from the environment.
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    logLevel: "off",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const host = hostOf(baseURL);

  return {
    name: "openai",
    model: options.model,
    promptVersion: PROMPT_VERSION,
    async draft(input: DraftInput, feedback: readonly string[]): Promise<DraftAttempt> {
      const factIds = input.digest.headline.slice(0, 3);
      let completion: ChatCompletion;
      try {
        completion = await client.chat.completions.create({
          model: options.model,
          messages: buildMessages(input, feedback),
          response_format: {
            type: "json_schema",
            json_schema: { name: "recap_copy", strict: true, schema: strictCopyJsonSchema(factIds) },
          },
          ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
        });
      } catch (error) {
        throw unavailable(error, options, host) ?? error;
      }
      return readReply(completion, factIds);
    },
  };
}
