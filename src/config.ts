import { z } from "zod";

/** Raised when the environment cannot be turned into a valid configuration. */
export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** A whole number written in decimal; z.coerce.number would also take " " (as 0), "0x50" or "1e3". */
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(z.number().min(min).max(max));

/** An http(s) URL without query or fragment, since paths are appended to it. Normalised, so the scheme is lower-case. */
const baseUrl = z
  .url({ protocol: /^https?$/ })
  .transform((value) => new URL(value))
  .refine((url) => !url.search && !url.hash, "must not have a query (?...) or fragment (#...)")
  .refine((url) => !url.username && !url.password, "must not contain a user name or password")
  .transform((url) => url.href.replace(/\/+$/, ""));

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// or postgresql:// URL");

/**
 * One schema for the whole environment. Nothing else in the code base reads process.env:
 * a bad value stops start-up here with a message that names the variable.
 */
const environmentSchema = z.object({
  PORT: wholeNumber(0, 65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_BASE_URL: baseUrl.optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: wholeNumber(1, 200).default(10),
  DATA_DIR: z.string().min(1).default(".data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BODY_LIMIT_BYTES: wholeNumber(1024).default(1024 * 1024),
  EVENTS_BODY_LIMIT_BYTES: wholeNumber(1024).default(16 * 1024 * 1024),
  SESSION_TTL_HOURS: wholeNumber(1, 24 * 30).default(12),
  COOKIE_SECURE: booleanFlag.optional(),
  LOGIN_MAX_FAILURES: wholeNumber(1).default(5),
  LOGIN_WINDOW_MINUTES: wholeNumber(1).default(15),
  SEED_DEMO: booleanFlag.default(true),
});

export type Config = {
  port: number;
  host: string;
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  bodyLimitBytes: number;
  eventsBodyLimitBytes: number;
  sessionTtlHours: number;
  cookieSecure: boolean;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  seedDemo: boolean;
};

export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  // Empty (or blank) strings count as unset, as shells and .env files often leave them behind;
  // surrounding white space (a stray "\r" from a Windows .env file) is not part of a value.
  const present = Object.fromEntries(
    Object.entries(environment)
      .map(([name, value]) => [name, value?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
  return {
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    eventsBodyLimitBytes: env.EVENTS_BODY_LIMIT_BYTES,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    cookieSecure: env.COOKIE_SECURE ?? publicBaseUrl.startsWith("https://"),
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginWindowMinutes: env.LOGIN_WINDOW_MINUTES,
    seedDemo: env.SEED_DEMO,
  };
}
