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

/** A non-negative decimal such as "0.15"; no exponents or hex, for the same reason as above. */
const decimalNumber = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "must be a number such as 0.15")
  .transform(Number);

/** A header name such as CF-IPCountry, stored lower-case as Hono reads headers. */
const httpHeaderName = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name such as CF-IPCountry")
  .transform((value) => value.toLowerCase());

/** A bearer token (RFC 6750 characters), long enough not to be guessed. */
const bearerToken = z
  .string()
  .min(16, "must be at least 16 characters (a random secret, e.g. from `openssl rand -hex 32`)")
  .max(512, "must be at most 512 characters")
  .regex(/^[A-Za-z0-9\-._~+/]+=*$/, "must be a bearer token: letters, digits and - . _ ~ + / only");

/** Requests per minute for a rate-limit policy: a whole number, or "0" / "off" to switch the policy off. */
const requestsPerMinute = z
  .string()
  .regex(/^(\d+|off)$/i, 'must be a whole number of requests per minute, or "off" (or 0) to switch it off')
  .transform((value) => (value.toLowerCase() === "off" ? 0 : Number(value)))
  .pipe(z.number().max(1_000_000, "must be at most 1000000 per minute"));

/** Ports a webhook URL may use: a comma-separated list such as "80,443,8443", or "any". */
const portList = z
  .string()
  .regex(/^(any|\d+(\s*,\s*\d+)*)$/i, 'must be port numbers separated by commas (e.g. "80,443"), or "any"')
  .transform((value) =>
    value.toLowerCase() === "any" ? ("any" as const) : value.split(",").map((port) => Number(port)),
  )
  .refine(
    (ports) => ports === "any" || ports.every((port) => port >= 1 && port <= 65535),
    "ports must be between 1 and 65535",
  );

/** smtp:// (STARTTLS when offered) or smtps:// (TLS from the start), with credentials in the URL if needed. */
const smtpUrl = z
  .url({ protocol: /^smtps?$/ })
  .refine((value) => Boolean(new URL(value).hostname), "must name a host, e.g. smtp://user:pass@smtp.example.com:587");

/** "Name <address>" or a bare address. */
const mailFrom = z
  .string()
  .max(320)
  .regex(
    /^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/,
    'must be an address, or "Name <address>" such as "Northwind Recaps <recaps@example.com>"',
  );

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
  POSTGRES_PORT: wholeNumber(1, 65535).optional(),
  POSTGRES_SYSTEM_DIR: z.string().min(1).default("/var/lib/outcome-recap"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BODY_LIMIT_BYTES: wholeNumber(1024).default(1024 * 1024),
  EVENTS_BODY_LIMIT_BYTES: wholeNumber(1024).default(16 * 1024 * 1024),
  HTTP_HEADERS_TIMEOUT_MS: wholeNumber(100, 600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: wholeNumber(100, 3_600_000).default(30_000),
  SESSION_TTL_HOURS: wholeNumber(1, 24 * 30).default(12),
  COOKIE_SECURE: booleanFlag.optional(),
  LOGIN_MAX_FAILURES: wholeNumber(1).default(5),
  LOGIN_WINDOW_MINUTES: wholeNumber(1).default(15),
  SEED_DEMO: booleanFlag.default(true),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: baseUrl.optional(),
  OPENAI_MODEL: z.string().min(1).max(200).default("gpt-4o-mini"),
  OPENAI_TIMEOUT_MS: wholeNumber(100, 600_000).default(30_000),
  OPENAI_MAX_RETRIES: wholeNumber(0, 10).default(3),
  OPENAI_PRICE_PROMPT_PER_MTOK: decimalNumber.default(0.15),
  OPENAI_PRICE_COMPLETION_PER_MTOK: decimalNumber.default(0.6),
  LLM_MONTHLY_TOKEN_BUDGET: wholeNumber(0).default(2_000_000),
  DRAFT_FACT_CHECK_RETRIES: wholeNumber(0, 5).default(2),
  WEBHOOKS_ALLOW_INSECURE: booleanFlag.default(false),
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: booleanFlag.default(false),
  WEBHOOKS_ALLOWED_PORTS: portList.default([80, 443]),
  /** Only "production" means anything: it refuses settings meant for local development. */
  NODE_ENV: z.string().optional(),
  TRUSTED_PROXY_COUNTRY_HEADER: httpHeaderName.optional(),
  TRUSTED_PROXY_IP_HEADER: httpHeaderName.optional(),
  TRUSTED_PROXY_FORWARDED_ORIGIN: booleanFlag.default(false),
  CLICK_FLUSH_MS: wholeNumber(10, 1000).default(1000),
  SHARE_LINK_CACHE_TTL_MS: wholeNumber(0, 300_000).default(30_000),
  CLICK_VISITORS_PER_ADDRESS_PER_HOUR: z
    .string()
    .regex(/^(\d+|off)$/i, 'must be a whole number of visitors, or "off" (or 0) for no cap')
    .transform((value) => (value.toLowerCase() === "off" ? 0 : Number(value)))
    .pipe(z.number().max(1_000_000, "must be at most 1000000"))
    .default(3),
  METRICS_TOKEN: bearerToken.optional(),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailFrom.optional(),
  JOB_HEARTBEAT_SECONDS: wholeNumber(10, 3600).default(30),
  JOB_SUPERVISE_INTERVAL_SECONDS: wholeNumber(1, 3600).default(30),
  RATE_LIMIT_PER_MINUTE: requestsPerMinute.default(1200),
  RATE_LIMIT_BURST: wholeNumber(1, 1_000_000).optional(),
  RATE_LIMIT_EXPENSIVE_PER_MINUTE: requestsPerMinute.default(60),
  RATE_LIMIT_EXPENSIVE_BURST: wholeNumber(1, 1_000_000).optional(),
  PUBLIC_ASSET_CACHE_MB: wholeNumber(0, 65_536).default(64),
  PUBLIC_ASSET_VERDICT_SECONDS: wholeNumber(0, 3600).default(10),
  DRAFT_THREADS: wholeNumber(0, 256).optional(),
  BACKGROUND_THREAD_NICE: wholeNumber(0, 19).default(10),
  USAGE_RETENTION_MONTHS: z
    .string()
    .regex(/^(\d+|off)$/i, 'must be a whole number of months (at least 3), or "off" to keep every event')
    .transform((value) => (value.toLowerCase() === "off" ? null : Number(value)))
    .pipe(z.number().min(3, "must be at least 3 (a digest reads this quarter and the one before)").max(1200).nullable())
    .default(null),
});

/** A GCRA policy: `perMinute` is the sustained rate, `burst` how many may come at once (the bucket). */
export type RateLimitRate = { perMinute: number; burst: number };

/** Off (null) when the rate is 0; the burst defaults to a minute's worth of requests. */
const rateLimitRate = (perMinute: number, burst: number | undefined): RateLimitRate | null =>
  perMinute === 0 ? null : { perMinute, burst: burst ?? perMinute };

export type OpenAiConfig = {
  apiKey: string;
  baseUrl: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  prices: { promptUsdPerMillion: number; completionUsdPerMillion: number };
};

export type Config = {
  port: number;
  host: string;
  /**
   * PUBLIC_BASE_URL, or http://localhost:$PORT when unset. Requests use it only when it is configured
   * (see platform/http/public-base-url.ts); jobs, which have no request, always use it.
   */
  publicBaseUrl: string;
  /** True when PUBLIC_BASE_URL is set: then every absolute URL uses it, whatever the request's Host. */
  publicBaseUrlConfigured: boolean;
  /** X-Forwarded-Proto/Host name the request's origin (only behind a proxy that sets them). */
  trustForwardedOrigin: boolean;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  /** The embedded PostgreSQL (used when databaseUrl is unset). */
  embeddedPostgres: {
    /** A fixed port (to reach it with psql); unset: a free one is chosen on every start. */
    port: number | undefined;
    /** As root: where the programs and cluster go when the `postgres` user cannot reach the data folder. */
    systemDir: string;
  };
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  bodyLimitBytes: number;
  eventsBodyLimitBytes: number;
  /** A client that has not sent its headers, or its whole request, within these is answered 408 and disconnected. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  sessionTtlHours: number;
  cookieSecure: boolean;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  seedDemo: boolean;
  /** Null: no LLM is configured and the template drafter writes every recap. */
  openai: OpenAiConfig | null;
  monthlyTokenBudget: number;
  draftFactCheckRetries: number;
  /** Webhook URLs may be http:// (local development only); https is required otherwise. */
  webhooksAllowInsecure: boolean;
  /**
   * Webhook URLs may point to loopback and private networks (a receiver on this machine, for local
   * development). Never in production: there the setting is refused with a warning.
   */
  webhooksAllowPrivateTargets: boolean;
  /** The ports webhook URLs may use (80 and 443 unless configured), or "any". */
  webhooksAllowedPorts: readonly number[] | "any";
  /** Exact IPs exempt from the webhook SSRF check (address and port). Never read from the environment: only tests set it. */
  webhooksTestAllowedAddresses?: readonly string[];
  /** Bytes of public card and PDF bytes this process keeps in memory (0: no cache). */
  publicAssetCacheBytes: number;
  /** Seconds a public asset's "published" verdict is trusted while take-downs are heard by LISTEN (0: ask every time). */
  publicAssetVerdictSeconds: number;
  /** Threads that write and fact-check template copy; 0: on the event loop; null: one per core. */
  draftThreads: number | null;
  /** OS priority (nice) of the render and drafting threads: batch work yields the CPU to requests; 0: as the process. */
  backgroundThreadNice: number;
  /** Whole months of raw usage events kept (their monthly partitions are dropped after); null: all. */
  usageRetentionMonths: number | null;
  /** Settings that were refused rather than stopping start-up; logged as warnings when the service starts. */
  warnings: readonly string[];
  /** Sharing: clicks' country and client address come from these headers only when a trusted proxy sets them. */
  sharing: {
    countryHeader: string | undefined;
    clientIpHeader: string | undefined;
    /** The click buffer writes at least this often (at most every second). */
    clickFlushMs: number;
    /** How long /r/:code trusts what it cached about a link (publication state, signup URL). */
    linkCacheTtlMs: number;
    /** Counted visitors per client address, link and hour; more are stored uncounted. Null: no cap. */
    visitorsPerAddressPerHour: number | null;
  };
  /**
   * E-mail to end customers: over SMTP when `smtpUrl` is set, otherwise written as .eml files to
   * `<dataDir>/outbox/` and listed at /review/outbox (the demo needs no mail server).
   */
  mail: { smtpUrl: string | undefined; from: string };
  /** Bearer token for GET /metrics; unset: /metrics answers only direct requests from loopback. */
  metricsToken: string | undefined;
  /** pg-boss: a job whose worker died is retried once its heartbeat is this old and a supervisor pass sees it. */
  jobs: { heartbeatSeconds: number; superviseIntervalSeconds: number };
  /** Per-API-key limits on /v1: `default` counts every request, `expensive` generation and redrafts too. */
  rateLimit: { default: RateLimitRate | null; expensive: RateLimitRate | null };
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
  if (env.OPENAI_BASE_URL && !env.OPENAI_API_KEY) {
    throw new ConfigError([
      {
        variable: "OPENAI_API_KEY",
        message: "is required when OPENAI_BASE_URL is set (servers that need no key accept any value, e.g. ollama)",
      },
    ]);
  }
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      {
        variable: "HTTP_HEADERS_TIMEOUT_MS",
        message: `must not be longer than HTTP_REQUEST_TIMEOUT_MS (${env.HTTP_REQUEST_TIMEOUT_MS})`,
      },
    ]);
  }
  const production = env.NODE_ENV === "production";
  const warnings: string[] = [];
  if (env.WEBHOOKS_ALLOW_PRIVATE_TARGETS && production) {
    warnings.push(
      "WEBHOOKS_ALLOW_PRIVATE_TARGETS=true is refused in production (NODE_ENV=production): webhooks to loopback and private addresses stay refused",
    );
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
  return {
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl,
    publicBaseUrlConfigured: env.PUBLIC_BASE_URL !== undefined,
    trustForwardedOrigin: env.TRUSTED_PROXY_FORWARDED_ORIGIN,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    dataDir: env.DATA_DIR,
    embeddedPostgres: { port: env.POSTGRES_PORT, systemDir: env.POSTGRES_SYSTEM_DIR },
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    eventsBodyLimitBytes: env.EVENTS_BODY_LIMIT_BYTES,
    http: { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS },
    sessionTtlHours: env.SESSION_TTL_HOURS,
    cookieSecure: env.COOKIE_SECURE ?? publicBaseUrl.startsWith("https://"),
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginWindowMinutes: env.LOGIN_WINDOW_MINUTES,
    seedDemo: env.SEED_DEMO,
    openai: env.OPENAI_API_KEY
      ? {
          apiKey: env.OPENAI_API_KEY,
          baseUrl: env.OPENAI_BASE_URL,
          model: env.OPENAI_MODEL,
          timeoutMs: env.OPENAI_TIMEOUT_MS,
          maxRetries: env.OPENAI_MAX_RETRIES,
          prices: {
            promptUsdPerMillion: env.OPENAI_PRICE_PROMPT_PER_MTOK,
            completionUsdPerMillion: env.OPENAI_PRICE_COMPLETION_PER_MTOK,
          },
        }
      : null,
    monthlyTokenBudget: env.LLM_MONTHLY_TOKEN_BUDGET,
    draftFactCheckRetries: env.DRAFT_FACT_CHECK_RETRIES,
    webhooksAllowInsecure: env.WEBHOOKS_ALLOW_INSECURE,
    webhooksAllowPrivateTargets: env.WEBHOOKS_ALLOW_PRIVATE_TARGETS && !production,
    webhooksAllowedPorts: env.WEBHOOKS_ALLOWED_PORTS,
    warnings,
    publicAssetCacheBytes: env.PUBLIC_ASSET_CACHE_MB * 1024 * 1024,
    publicAssetVerdictSeconds: env.PUBLIC_ASSET_VERDICT_SECONDS,
    draftThreads: env.DRAFT_THREADS ?? null,
    backgroundThreadNice: env.BACKGROUND_THREAD_NICE,
    usageRetentionMonths: env.USAGE_RETENTION_MONTHS,
    sharing: {
      countryHeader: env.TRUSTED_PROXY_COUNTRY_HEADER,
      clientIpHeader: env.TRUSTED_PROXY_IP_HEADER,
      clickFlushMs: env.CLICK_FLUSH_MS,
      linkCacheTtlMs: env.SHARE_LINK_CACHE_TTL_MS,
      visitorsPerAddressPerHour: env.CLICK_VISITORS_PER_ADDRESS_PER_HOUR || null,
    },
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM ?? `Outcome Recap <recaps@${new URL(publicBaseUrl).hostname}>`,
    },
    metricsToken: env.METRICS_TOKEN,
    jobs: { heartbeatSeconds: env.JOB_HEARTBEAT_SECONDS, superviseIntervalSeconds: env.JOB_SUPERVISE_INTERVAL_SECONDS },
    rateLimit: {
      default: rateLimitRate(env.RATE_LIMIT_PER_MINUTE, env.RATE_LIMIT_BURST),
      expensive: rateLimitRate(env.RATE_LIMIT_EXPENSIVE_PER_MINUTE, env.RATE_LIMIT_EXPENSIVE_BURST),
    },
  };
}
