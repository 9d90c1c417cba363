import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

/** The ConfigError that loading `environment` throws; fails the test when it loads. */
function configErrorFor(environment: Record<string, string>): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(environment)}`);
}

describe("loadConfig", () => {
  it("gives a local set-up with no variables set", () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      publicBaseUrl: "http://localhost:3000",
      publicBaseUrlConfigured: false,
      publicAssetCacheBytes: 64 * 1024 * 1024,
      publicAssetVerdictSeconds: 10,
      draftThreads: null,
      backgroundThreadNice: 10,
      usageRetentionMonths: null,
      trustForwardedOrigin: false,
      databaseUrl: undefined,
      databasePoolSize: 10,
      dataDir: ".data",
      embeddedPostgres: { port: undefined, systemDir: "/var/lib/outcome-recap" },
      logLevel: "info",
      bodyLimitBytes: 1024 * 1024,
      eventsBodyLimitBytes: 16 * 1024 * 1024,
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
      sessionTtlHours: 12,
      cookieSecure: false,
      loginMaxFailures: 5,
      loginWindowMinutes: 15,
      seedDemo: true,
      openai: null,
      monthlyTokenBudget: 2_000_000,
      draftFactCheckRetries: 2,
      webhooksAllowInsecure: false,
      webhooksAllowPrivateTargets: false,
      webhooksAllowedPorts: [80, 443],
      warnings: [],
      sharing: {
        countryHeader: undefined,
        clientIpHeader: undefined,
        clickFlushMs: 1000,
        linkCacheTtlMs: 30_000,
        visitorsPerAddressPerHour: 3,
      },
      jobs: { heartbeatSeconds: 30, superviseIntervalSeconds: 30 },
      rateLimit: { default: { perMinute: 1200, burst: 1200 }, expensive: { perMinute: 60, burst: 60 } },
      mail: { smtpUrl: undefined, from: "Outcome Recap <recaps@localhost>" },
    });
  });

  it("reads every variable it knows and ignores the rest of the environment", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      PUBLIC_BASE_URL: "https://recaps.example.com/",
      PUBLIC_ASSET_CACHE_MB: "16",
      PUBLIC_ASSET_VERDICT_SECONDS: "0",
      DRAFT_THREADS: "0",
      BACKGROUND_THREAD_NICE: "0",
      USAGE_RETENTION_MONTHS: "9",
      DATABASE_URL: "postgresql://app:secret@db:5432/recaps",
      DATABASE_POOL_SIZE: "20",
      DATA_DIR: "/var/lib/recap",
      SMTP_URL: "smtps://mailer:secret@smtp.example.com:465",
      MAIL_FROM: "Northwind Recaps <recaps@example.com>",
      LOG_LEVEL: "debug",
      BODY_LIMIT_BYTES: "2048",
      EVENTS_BODY_LIMIT_BYTES: "4096",
      HTTP_HEADERS_TIMEOUT_MS: "5000",
      HTTP_REQUEST_TIMEOUT_MS: "20000",
      SESSION_TTL_HOURS: "8",
      COOKIE_SECURE: "no",
      LOGIN_MAX_FAILURES: "3",
      LOGIN_WINDOW_MINUTES: "30",
      SEED_DEMO: "0",
      OPENAI_API_KEY: "sk-local",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      OPENAI_MODEL: "llama3.1",
      OPENAI_TIMEOUT_MS: "60000",
      OPENAI_MAX_RETRIES: "1",
      OPENAI_PRICE_PROMPT_PER_MTOK: "0",
      OPENAI_PRICE_COMPLETION_PER_MTOK: "1.25",
      LLM_MONTHLY_TOKEN_BUDGET: "500000",
      DRAFT_FACT_CHECK_RETRIES: "1",
      WEBHOOKS_ALLOW_INSECURE: "true",
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: "yes",
      WEBHOOKS_ALLOWED_PORTS: "443,8443",
      NODE_ENV: "development",
      TRUSTED_PROXY_COUNTRY_HEADER: "CF-IPCountry",
      TRUSTED_PROXY_IP_HEADER: "CF-Connecting-IP",
      TRUSTED_PROXY_FORWARDED_ORIGIN: "true",
      CLICK_FLUSH_MS: "250",
      SHARE_LINK_CACHE_TTL_MS: "5000",
      CLICK_VISITORS_PER_ADDRESS_PER_HOUR: "5",
      JOB_HEARTBEAT_SECONDS: "10",
      JOB_SUPERVISE_INTERVAL_SECONDS: "2",
      RATE_LIMIT_PER_MINUTE: "600",
      RATE_LIMIT_BURST: "100",
      RATE_LIMIT_EXPENSIVE_PER_MINUTE: "off",
      RATE_LIMIT_EXPENSIVE_BURST: "5",
      POSTGRES_PORT: "5433",
      POSTGRES_SYSTEM_DIR: "/srv/recap-postgres",
      PATH: "/usr/bin",
    });
    expect(config).toEqual({
      port: 8080,
      host: "0.0.0.0",
      publicBaseUrl: "https://recaps.example.com",
      publicBaseUrlConfigured: true,
      publicAssetCacheBytes: 16 * 1024 * 1024,
      publicAssetVerdictSeconds: 0,
      draftThreads: 0,
      backgroundThreadNice: 0,
      usageRetentionMonths: 9,
      trustForwardedOrigin: true,
      databaseUrl: "postgresql://app:secret@db:5432/recaps",
      databasePoolSize: 20,
      dataDir: "/var/lib/recap",
      embeddedPostgres: { port: 5433, systemDir: "/srv/recap-postgres" },
      logLevel: "debug",
      bodyLimitBytes: 2048,
      eventsBodyLimitBytes: 4096,
      http: { headersTimeoutMs: 5000, requestTimeoutMs: 20_000 },
      sessionTtlHours: 8,
      cookieSecure: false,
      loginMaxFailures: 3,
      loginWindowMinutes: 30,
      seedDemo: false,
      openai: {
        apiKey: "sk-local",
        baseUrl: "http://127.0.0.1:11434/v1",
        model: "llama3.1",
        timeoutMs: 60_000,
        maxRetries: 1,
        prices: { promptUsdPerMillion: 0, completionUsdPerMillion: 1.25 },
      },
      monthlyTokenBudget: 500_000,
      draftFactCheckRetries: 1,
      webhooksAllowInsecure: true,
      webhooksAllowPrivateTargets: true,
      webhooksAllowedPorts: [443, 8443],
      warnings: [],
      sharing: {
        countryHeader: "cf-ipcountry",
        clientIpHeader: "cf-connecting-ip",
        clickFlushMs: 250,
        linkCacheTtlMs: 5000,
        visitorsPerAddressPerHour: 5,
      },
      jobs: { heartbeatSeconds: 10, superviseIntervalSeconds: 2 },
      rateLimit: { default: { perMinute: 600, burst: 100 }, expensive: null },
      mail: { smtpUrl: "smtps://mailer:secret@smtp.example.com:465", from: "Northwind Recaps <recaps@example.com>" },
    });
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["PORT", "0x50"],
    ["PORT", "80.5"],
    ["DATABASE_URL", "mysql://x"],
    ["SMTP_URL", "http://mail.example.com"],
    ["MAIL_FROM", "Recaps <not an address>"],
    ["DATABASE_POOL_SIZE", "0"],
    ["LOG_LEVEL", "loud"],
    ["COOKIE_SECURE", "maybe"],
    ["SEED_DEMO", "sometimes"],
    ["PUBLIC_BASE_URL", "ftp://x"],
    ["PUBLIC_BASE_URL", "not a url"],
    ["PUBLIC_BASE_URL", "https://recaps.example.com/?tenant=a"],
    ["PUBLIC_BASE_URL", "https://recaps.example.com/#top"],
    ["PUBLIC_BASE_URL", "https://user:pass@recaps.example.com"],
    ["BODY_LIMIT_BYTES", "100"],
    ["SESSION_TTL_HOURS", "10000"],
    ["OPENAI_BASE_URL", "localhost:11434"],
    ["OPENAI_TIMEOUT_MS", "5s"],
    ["OPENAI_PRICE_PROMPT_PER_MTOK", "1e3"],
    ["OPENAI_PRICE_COMPLETION_PER_MTOK", "-1"],
    ["DRAFT_FACT_CHECK_RETRIES", "9"],
    ["WEBHOOKS_ALLOW_INSECURE", "sure"],
    ["TRUSTED_PROXY_COUNTRY_HEADER", "CF IPCountry"],
    ["CLICK_FLUSH_MS", "5000"],
    ["JOB_HEARTBEAT_SECONDS", "5"],
    ["USAGE_RETENTION_MONTHS", "2"],
    ["USAGE_RETENTION_MONTHS", "forever"],
    ["PUBLIC_ASSET_CACHE_MB", "-1"],
    ["PUBLIC_ASSET_VERDICT_SECONDS", "ten"],
    ["DRAFT_THREADS", "-1"],
    ["BACKGROUND_THREAD_NICE", "20"],
    ["JOB_SUPERVISE_INTERVAL_SECONDS", "0"],
    ["RATE_LIMIT_PER_MINUTE", "lots"],
    ["RATE_LIMIT_PER_MINUTE", "-5"],
    ["RATE_LIMIT_BURST", "0"],
    ["RATE_LIMIT_EXPENSIVE_PER_MINUTE", "1e3"],
  ])("refuses %s=%s with a ConfigError that names the variable", (variable, value) => {
    const error = configErrorFor({ [variable]: value });
    expect(error.name).toBe("ConfigError");
    expect(error.issues.map((issue) => issue.variable)).toEqual([variable]);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration:\\n  ${variable}: \\S`));
  });

  it("asks for OPENAI_API_KEY when only OPENAI_BASE_URL is set, instead of silently using the templates", () => {
    const error = configErrorFor({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" });
    expect(error.issues.map((issue) => issue.variable)).toEqual(["OPENAI_API_KEY"]);
  });

  it("reports every bad variable at once, one line each", () => {
    const error = configErrorFor({ PORT: "abc", LOG_LEVEL: "loud", DATABASE_URL: "mysql://x" });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(["DATABASE_URL", "LOG_LEVEL", "PORT"]);
    expect(error.message.split("\n")).toHaveLength(4);
  });

  it("treats empty and blank strings as unset, so the defaults apply", () => {
    const config = loadConfig({
      PORT: "",
      HOST: "",
      DATABASE_URL: "",
      LOG_LEVEL: "  ",
      COOKIE_SECURE: "",
      PUBLIC_BASE_URL: "",
      SEED_DEMO: " ",
      DATA_DIR: "\t",
    });
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      databaseUrl: undefined,
      logLevel: "info",
      publicBaseUrl: "http://localhost:3000",
      publicBaseUrlConfigured: false,
      cookieSecure: false,
      seedDemo: true,
      dataDir: ".data",
    });
  });

  it("ignores white space around a value, such as the carriage return of a Windows .env file", () => {
    const config = loadConfig({ PORT: " 8080\r", LOG_LEVEL: "warn\r", SEED_DEMO: "false\r" });
    expect(config).toMatchObject({ port: 8080, logLevel: "warn", seedDemo: false });
  });

  it("builds the default public URL from the port", () => {
    expect(loadConfig({ PORT: "4100" }).publicBaseUrl).toBe("http://localhost:4100");
  });

  it("drops trailing slashes from the public URL and keeps its path", () => {
    expect(loadConfig({ PUBLIC_BASE_URL: "https://example.com/recap//" }).publicBaseUrl).toBe(
      "https://example.com/recap",
    );
  });

  it("sets secure cookies when the public URL is https, and not when it is http", () => {
    expect(loadConfig({ PUBLIC_BASE_URL: "https://recaps.example.com" }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_BASE_URL: "http://recaps.example.com" }).cookieSecure).toBe(false);
  });

  it("recognises an https public URL written in capitals and normalises it", () => {
    const config = loadConfig({ PUBLIC_BASE_URL: "HTTPS://Recaps.Example.com/" });
    expect(config.publicBaseUrl).toBe("https://recaps.example.com");
    expect(config.cookieSecure).toBe(true);
  });

  it("lets COOKIE_SECURE override what the public URL implies, both ways", () => {
    expect(loadConfig({ PUBLIC_BASE_URL: "https://recaps.example.com", COOKIE_SECURE: "false" }).cookieSecure).toBe(
      false,
    );
    expect(loadConfig({ PUBLIC_BASE_URL: "http://localhost:3000", COOKIE_SECURE: "yes" }).cookieSecure).toBe(true);
    expect(loadConfig({ COOKIE_SECURE: "1" }).cookieSecure).toBe(true);
  });

  it("accepts both postgres:// and postgresql:// database URLs", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u:p@h/db" }).databaseUrl).toBe("postgres://u:p@h/db");
    expect(loadConfig({ DATABASE_URL: "postgresql://u:p@h/db" }).databaseUrl).toBe("postgresql://u:p@h/db");
  });

  it("reads process.env when no environment is passed", () => {
    const saved = process.env.PORT;
    process.env.PORT = "4567";
    try {
      expect(loadConfig().port).toBe(4567);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});
