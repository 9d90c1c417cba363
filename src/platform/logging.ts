import { AsyncLocalStorage } from "node:async_hooks";
import { pino } from "pino";

export type Logger = pino.Logger;

/** Fields every log line carries while a piece of work runs (a request's id): see withLogContext. */
const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Runs `work` so that every line any logger from createLogger writes meanwhile, in this async
 * flow only, carries `fields`: handlers and use cases log through `deps.log` and still name the
 * request they serve.
 */
export function withLogContext<T>(fields: Record<string, unknown>, work: () => T): T {
  return logContext.run(fields, work);
}

/**
 * JSON lines to stdout for the service; `toStderr` for CLI commands whose stdout carries secrets;
 * `destination` for tests that read the lines.
 */
export function createLogger(
  level: pino.LevelWithSilent,
  options: { toStderr?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const settings: pino.LoggerOptions = {
    level,
    base: { service: "outcome-recap" },
    // A copy: pino merges the log call's fields into what mixin returns. The call's fields win.
    mixin: () => ({ ...logContext.getStore() }),
    // Never let a credential reach a log line.
    redact: ["req.headers.authorization", "req.headers.cookie", "password", "apiKey"],
  };
  if (options.destination) return pino(settings, options.destination);
  return options.toStderr ? pino(settings, pino.destination(2)) : pino(settings);
}
