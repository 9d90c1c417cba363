import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type postgres from "postgres";

/**
 * The service as an operator runs it: `node bin/outcome-recap.js serve|worker` in a process of its
 * own. Not through the tsx CLI, which runs the program in a grandchild: a SIGKILL sent to tsx
 * would leave the real process running.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ENTRY = path.join(ROOT, "bin", "outcome-recap.js");

export type LogLine = { level: number; msg: string; [field: string]: unknown };

export type ServiceProcess = {
  child: ChildProcess;
  /** http://127.0.0.1:<port> (serve only). */
  url: string;
  logs: LogLine[];
  /** Standard error and any stdout line that is not JSON. */
  output: string[];
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** Resolves like `exited`, or fails when the process is still running after `timeoutMs`. */
  exitedWithin(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The end of its output and its last log lines, for a failure message. */
  diagnostics(): string;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGKILLs the process if it is still running (after a test, whatever happened). */
  dispose(): Promise<void>;
};

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function startService(
  command: "serve" | "worker",
  env: Record<string, string>,
  options: { args?: string[] } = {},
): Promise<ServiceProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [ENTRY, command, ...(options.args ?? [])], {
    cwd: ROOT,
    // Only what node needs: nothing from the developer's shell (an OPENAI_API_KEY, say) leaks in.
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      TMPDIR: process.env.TMPDIR ?? "/tmp",
      LOG_LEVEL: "info",
      SEED_DEMO: "false",
      HOST: "127.0.0.1",
      PORT: port,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: LogLine[] = [];
  const output: string[] = [];
  const waiters = new Set<{ predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  let done = false;
  let pending = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const text of lines) {
      let line: LogLine | undefined;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        output.push(text);
        continue;
      }
      logs.push(line);
      for (const waiter of waiters) {
        if (waiter.predicate(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });

  const diagnostics = () =>
    `${command} (pid ${child.pid}) output:\n${output.join("").slice(-3000)}\nlast log lines:\n${logs
      .slice(-15)
      .map((line) => JSON.stringify(line))
      .join("\n")}`;

  const service: ServiceProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    logs,
    output,
    exited,
    hasExited: () => done,
    exitedWithin(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${command} still runs ${timeoutMs} ms later; ${diagnostics()}`)),
          timeoutMs,
        );
      });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
    diagnostics,
    waitForLog(predicate, timeoutMs = 90_000) {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (line: LogLine) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no such log line within ${timeoutMs} ms; ${diagnostics()}`));
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`the process exited while a log line was awaited; ${diagnostics()}`));
        });
      });
    },
    async dispose() {
      if (!done) child.kill("SIGKILL");
      await exited;
    },
  };
  return service;
}

/** Waits until GET /healthz answers: the process is up and listening. */
export async function waitUntilServing(service: ServiceProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.hasExited()) break;
    const answer = await httpRequest(`${service.url}/healthz`, { timeoutMs: 2_000 }).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.url} did not start serving; ${service.output.join("").slice(-3000)}`);
}

export type HttpAnswer = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/**
 * One request on a connection of its own (no keep-alive pool that could hand out a socket the
 * server has just closed), with a deadline: a request that hangs fails instead of holding the test.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: {
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
        agent: false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 30_000} ms`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

/**
 * Holds a table lock in an open transaction until released: a statement that writes the table
 * waits, which stops a job or a request at a known point without any test hook in the product.
 */
export async function holdTableLock(sql: postgres.Sql, table: string, mode: "SHARE" | "EXCLUSIVE" = "SHARE") {
  const connection = await sql.reserve();
  await connection.unsafe("begin");
  await connection.unsafe(`lock table ${table} in ${mode} mode`);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await connection.unsafe("commit");
      connection.release();
    },
  };
}

/** Sessions of this database that wait for a lock while running a statement that mentions `text`. */
export async function lockWaiters(sql: postgres.Sql, text: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and query ilike ${`%${text}%`}`;
  return row?.n ?? 0;
}
