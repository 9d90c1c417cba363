import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON lines to stdout for the service; `toStderr` for CLI commands whose stdout carries secrets. */
export function createLogger(level: pino.LevelWithSilent, options: { toStderr?: boolean } = {}): Logger {
  const settings: pino.LoggerOptions = {
    level,
    base: { service: "outcome-recap" },
    // Never let a credential reach a log line.
    redact: ["req.headers.authorization", "req.headers.cookie", "password", "apiKey"],
  };
  return options.toStderr ? pino(settings, pino.destination(2)) : pino(settings);
}
