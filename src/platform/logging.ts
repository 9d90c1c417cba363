import { pino } from "pino";

export type Logger = pino.Logger;

export function createLogger(level: pino.LevelWithSilent): Logger {
  return pino({
    level,
    base: { service: "outcome-recap" },
    // Never let a credential reach a log line.
    redact: ["req.headers.authorization", "req.headers.cookie", "password", "apiKey"],
  });
}
