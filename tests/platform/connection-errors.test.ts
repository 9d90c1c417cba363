import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DrizzleQueryError, sql as drizzleSql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { Hono } from "hono";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { databaseUnavailableCode } from "../../src/platform/db/connection-errors.js";
import type { AppEnv } from "../../src/platform/http/app-env.js";
import { createErrorHandler } from "../../src/platform/http/error-handler.js";
import { createLogger } from "../../src/platform/logging.js";

/**
 * Which errors mean "the database is unreachable" (503, retry later) rather than a bug (500), and
 * what a service process does with the one postgres.js cannot let us catch.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A real postgres.js error: nothing listens on port 1. */
async function refusedConnectionError(): Promise<unknown> {
  const sql = postgres("postgres://nobody:secret@127.0.0.1:1/nowhere", { connect_timeout: 2, onnotice: () => {} });
  try {
    await drizzle(sql).execute(drizzleSql`select ${"a parameter"}::text`);
  } catch (error) {
    return error;
  } finally {
    await sql.end({ timeout: 0 });
  }
  throw new Error("expected the query to fail");
}

/** A real postgres.js error: a query on a client that was ended. */
async function endedClientError(): Promise<unknown> {
  const sql = postgres("postgres://nobody:secret@127.0.0.1:1/nowhere", { onnotice: () => {} });
  await sql.end();
  return sql`select 1`.then(
    () => new Error("expected the query to fail"),
    (error: unknown) => error,
  );
}

const withCode = (code: string, message = "from the server") => Object.assign(new Error(message), { code });

describe("databaseUnavailableCode", () => {
  it("recognises a refused connection inside drizzle's DrizzleQueryError", async () => {
    const error = await refusedConnectionError();
    expect(error).toBeInstanceOf(DrizzleQueryError);
    expect((error as { code?: string }).code).toBeUndefined(); // the code is on its cause
    expect(databaseUnavailableCode(error)).toBe("ECONNREFUSED");
  });

  it("recognises postgres.js's own codes for a client that cannot send", async () => {
    expect(databaseUnavailableCode(await endedClientError())).toBe("CONNECTION_ENDED");
    for (const code of ["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]) {
      expect(databaseUnavailableCode(withCode(code))).toBe(code);
    }
  });

  it.each([
    ["57P01", "admin_shutdown: the server is stopping"],
    ["57P02", "crash_shutdown"],
    ["57P03", "cannot_connect_now: the server is starting"],
    ["08006", "connection_failure"],
    ["53300", "too_many_connections"],
    ["ECONNRESET", "the connection was reset"],
    ["ETIMEDOUT", "the host did not answer"],
  ])("recognises %s (%s)", (code) => {
    expect(databaseUnavailableCode(withCode(code))).toBe(code);
    expect(databaseUnavailableCode(new Error("Failed query", { cause: withCode(code) }))).toBe(code);
  });

  it("looks inside an AggregateError (one error per address tried)", () => {
    const error = new AggregateError([withCode("ECONNREFUSED"), withCode("ENETUNREACH")], "connect failed");
    expect(databaseUnavailableCode(error)).toBe("ECONNREFUSED");
  });

  it("leaves every other error to the 500 path", () => {
    for (const error of [
      withCode("23505", "duplicate key value violates unique constraint"),
      withCode("42P01", "relation does not exist"),
      withCode("57014", "canceling statement due to statement timeout"),
      new Error("ECONNREFUSED in a message is not a code"),
      new TypeError("x is undefined"),
      "ECONNREFUSED",
      null,
      undefined,
    ]) {
      expect(databaseUnavailableCode(error)).toBeUndefined();
    }
  });

  it("stops on an error that is its own cause", () => {
    const error = new Error("loop") as Error & { cause?: unknown };
    error.cause = error;
    expect(databaseUnavailableCode(error)).toBeUndefined();
  });
});

describe("the error handler", () => {
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(createLogger("silent")));
  app.get("/unreachable", async () => {
    throw await refusedConnectionError();
  });
  app.get("/shutting-down", () => {
    throw withCode("57P01", "terminating connection due to administrator command");
  });
  app.get("/bug", () => {
    throw withCode("42703", 'column "secret_column" does not exist');
  });

  it("answers 503 problem+json with Retry-After when the database is unreachable, and reveals nothing", async () => {
    for (const path of ["/unreachable", "/shutting-down"]) {
      const response = await app.request(path);
      expect(response.status).toBe(503);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.headers.get("retry-after")).toBe("5");
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({
        type: "/problems/service_unavailable",
        status: 503,
        code: "service_unavailable",
        instance: path,
      });
      expect(text).not.toMatch(/select|parameter|127\.0\.0\.1|secret|administrator/i);
    }
  });

  it("keeps answering 500 for a database error that is a bug", async () => {
    const response = await app.request("/bug");
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: "internal_error" });
  });
});

/** Runs a small module in a process of its own (tsx), as `serve` and `worker` run. */
function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("survivePostgresConnectionLoss", () => {
  const prelude = `
    import { survivePostgresConnectionLoss } from "./src/platform/db/connection-errors.ts";
    import { createLogger } from "./src/platform/logging.ts";
    survivePostgresConnectionLoss(createLogger("warn"));
    setTimeout(() => { console.log("still running"); process.exit(0); }, 300);
  `;

  it("logs and survives a lost connection that nobody awaited (postgres.js's type fetch)", async () => {
    const result = await runScript(
      `${prelude} Promise.reject(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("a lost database connection was not handled; ignored");
    expect(result.stdout).toContain("still running");
  }, 30_000);

  it("still ends the process on any other unhandled rejection", async () => {
    const result = await runScript(`${prelude} Promise.reject(new Error("a real bug"));`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("a real bug");
    expect(result.stdout).not.toContain("still running");
  }, 30_000);
});
