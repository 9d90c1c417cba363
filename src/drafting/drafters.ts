import type { Config } from "../config.js";
import type { Drafter } from "./drafter.types.js";
import { createOpenAiDrafter } from "./openai-drafter.js";
import { createTemplateDrafter } from "./template-drafter.js";

/** The configured drafter: an OpenAI-compatible model when a key is set, else the offline templates. */
export function createDrafter(config: Pick<Config, "openai">): Drafter {
  if (!config.openai) return createTemplateDrafter();
  return createOpenAiDrafter({
    apiKey: config.openai.apiKey,
    baseURL: config.openai.baseUrl,
    model: config.openai.model,
    timeoutMs: config.openai.timeoutMs,
    maxRetries: config.openai.maxRetries,
  });
}
