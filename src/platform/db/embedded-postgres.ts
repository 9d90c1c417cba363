import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { chown, readFile, rm, statfs, unlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { EmbeddedPostgresError, explainStartFailure, versionMismatch, WAYS_OUT } from "./embedded-postgres-errors.js";
import {
  clusterPassword,
  DEFAULT_SYSTEM_DIR,
  type EmbeddedPostgresLayout,
  resolveLayout,
} from "./embedded-postgres-layout.js";

export type EmbeddedDatabase = {
  /** Connection URL of the `postgres` database on the embedded server. */
  url: string;
  /** Where the cluster's files are (the data folder's postgres/, or a relocated folder when run as root). */
  clusterDir: string;
  stop(): Promise<void>;
};

const USER = "postgres";
/** Clusters made before passwords were random used this one; a start replaces it. */
const LEGACY_PASSWORD = "outcome-recap-local";
/** initdb needs some room; below this the start fails early with a clear message instead of midway. */
const MIN_FREE_BYTES = 64 * 1024 * 1024;

/**
 * Starts (or reuses) a real PostgreSQL server for the data folder `dataDir`, so a fresh clone runs
 * without installing a database. The cluster is created on first use and kept between runs.
 *
 * It listens on 127.0.0.1 only, with no Unix socket, and its superuser has a random password kept
 * in `dataDir/postgres-password` (mode 600) and checked with SCRAM. Any failure to start is an
 * EmbeddedPostgresError that says what failed, why and what to do.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: {
    persistent?: boolean;
    /** Listen on this port (to start a stopped server again where its clients expect it); default: a free one. */
    port?: number;
    /** Root-owned folder for what the `postgres` user cannot reach in place (see resolveLayout). */
    systemDir?: string;
    log?: (line: string) => void;
  } = {},
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const layout = await resolveLayout(path.resolve(dataDir), options.systemDir ?? DEFAULT_SYSTEM_DIR);
  for (const reason of layout.relocated) log(reason);
  const { password, isNew } = await clusterPassword(layout);

  const running = runningServerPort(layout.clusterDir);
  if (running !== undefined) {
    // A previous process died without stopping its server (kill -9): use that server, since
    // PostgreSQL refuses a second postmaster on the same data directory.
    if (isNew) await replaceLegacyPassword(running, password, async () => {});
    return { url: urlFor(running, password), clusterDir: layout.clusterDir, stop: async () => {} };
  }

  const initialised = existsSync(path.join(layout.clusterDir, "PG_VERSION"));
  if (initialised) {
    await refuseOtherMajorVersion(layout);
  } else {
    await requireFreeSpace(layout.clusterDir);
    await initialise(layout, password, log);
  }

  let port = options.port ?? (await freePort());
  let server: ChildProcess;
  try {
    server = await startServer(layout, port, log);
  } catch (error) {
    // Another program may take a free port between our probe and the server's bind: try once more.
    if (options.port !== undefined || !(error instanceof EmbeddedPostgresError) || !/already in use/.test(error.why)) {
      throw error;
    }
    port = await freePort();
    server = await startServer(layout, port, log);
  }

  const stopServer = () => stopPostmaster(server);
  // A process that exits without stopping the server (an error, process.exit) still stops it:
  // SIGINT is PostgreSQL's fast shutdown, and a signal is all an `exit` listener has time for.
  const stopOnExit = () => {
    try {
      server.kill("SIGINT");
    } catch {} // already gone
  };
  process.once("exit", stopOnExit);

  if (initialised && isNew) await replaceLegacyPassword(port, password, stopServer);
  const persistent = options.persistent ?? true;
  return {
    url: urlFor(port, password),
    clusterDir: layout.clusterDir,
    async stop() {
      process.off("exit", stopOnExit);
      await stopServer();
      if (!persistent) await rm(layout.clusterDir, { recursive: true, force: true });
    },
  };
}

/** Runs initdb as the right user, with the password given through a file only that user can read. */
async function initialise(layout: EmbeddedPostgresLayout, password: string, log: (line: string) => void) {
  const passwordFile = path.join(path.dirname(layout.clusterDir), `.initdb-password-${process.pid}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (layout.runAs) await chown(passwordFile, layout.runAs.uid, layout.runAs.gid);
    const { code, output, spawnError } = await runInitdb(
      layout,
      [
        `--pgdata=${layout.clusterDir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C.UTF-8",
        "--lc-messages=C",
      ],
      log,
    );
    if (code !== 0 || spawnError) {
      // initdb removes what it made on failure; a half-made cluster must not be mistaken for a whole one.
      throw explainStartFailure({ step: "initdb", clusterDir: layout.clusterDir, port: 0, output, spawnError });
    }
  } finally {
    await unlink(passwordFile).catch(() => {});
  }
}

/**
 * Spawns one of the build's programs as the user PostgreSQL runs as, with English messages (the
 * start-up and its failures are recognised by their text) and every line of output logged.
 */
function spawnProgram(
  layout: EmbeddedPostgresLayout,
  program: "initdb" | "postgres",
  args: string[],
  log: (line: string) => void,
  options: { detached?: boolean } = {},
): ChildProcess {
  const child = spawn(path.join(layout.installDir, "bin", program), args, {
    ...layout.runAs,
    // The service's own folder may be closed to the `postgres` user; the cluster's parent is not.
    cwd: path.dirname(layout.clusterDir),
    env: { ...process.env, LC_MESSAGES: "C", LANG: "C" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) if (line.trim()) log(line.trim());
    });
  }
  return child;
}

/** Starts postgres and resolves once it accepts connections; rejects with the reason otherwise. */
function startServer(layout: EmbeddedPostgresLayout, port: number, log: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let output = "";
    let ready = false;
    // Loopback only, no Unix socket, SCRAM for every password set later.
    const settings = [
      "listen_addresses=127.0.0.1",
      "unix_socket_directories=",
      "password_encryption=scram-sha-256",
      "max_connections=200",
      "fsync=off",
    ];
    const child = spawnProgram(
      layout,
      "postgres",
      ["-D", layout.clusterDir, "-p", String(port), ...settings.flatMap((setting) => ["-c", setting])],
      log,
      // A process group of its own: Ctrl+C in a terminal reaches the service, which stops the
      // server last, after in-flight requests are answered, instead of both at once.
      { detached: true },
    );
    child.stderr?.on("data", (chunk: string) => {
      if (ready) return;
      output += chunk;
      if (output.includes("database system is ready to accept connections")) {
        ready = true;
        output = "";
        resolve(child);
      }
    });
    const fail = (spawnError?: NodeJS.ErrnoException) => {
      if (!ready)
        reject(explainStartFailure({ step: "postgres", clusterDir: layout.clusterDir, port, output, spawnError }));
    };
    // A program that cannot be executed (EACCES, ENOENT) is an `error` event, never a crash.
    child.once("error", fail);
    child.once("exit", () => fail());
  });
}

/** Runs initdb to its end and collects what it printed. */
function runInitdb(
  layout: EmbeddedPostgresLayout,
  args: string[],
  log: (line: string) => void,
): Promise<{ code: number | null; output: string; spawnError?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    let output = "";
    let spawnError: NodeJS.ErrnoException | undefined;
    const child = spawnProgram(layout, "initdb", args, log);
    const collect = (chunk: string) => {
      output += chunk;
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("error", (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.once("close", (code) => resolve({ code, output, spawnError }));
  });
}

/** SIGINT is PostgreSQL's fast shutdown: it ends the sessions and removes postmaster.pid. */
function stopPostmaster(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGINT");
  });
}

/** A cluster made by the old fixed password gets the data folder's random one. */
async function replaceLegacyPassword(port: number, password: string, stopServer: () => Promise<void>) {
  const sql = postgres(urlFor(port, LEGACY_PASSWORD), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql.unsafe(`alter role ${USER} password '${password}'`); // base64url: no quote can occur
  } catch {
    await stopServer();
    throw new EmbeddedPostgresError({
      what: "The embedded PostgreSQL's password is unknown",
      why: "the data folder has a cluster but no postgres-password file, and the cluster does not take the old default password",
      waysOut: [
        "put the cluster's superuser password in postgres-password in the data folder (mode 600)",
        WAYS_OUT.dataDir,
        WAYS_OUT.databaseUrl,
      ],
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Stops before starting a cluster made by another major version, which would change nothing but fail. */
async function refuseOtherMajorVersion(layout: EmbeddedPostgresLayout) {
  const found = (await readFile(path.join(layout.clusterDir, "PG_VERSION"), "utf8")).trim();
  // "postgres (PostgreSQL) 18.4": --version runs even as root, and reads no data.
  const printed = execFileSync(path.join(layout.installDir, "bin", "postgres"), ["--version"], { encoding: "utf8" });
  const ours = /\(PostgreSQL\) (\d+)/.exec(printed)?.[1];
  if (ours && found !== ours) throw versionMismatch(layout.clusterDir, found, ours);
}

async function requireFreeSpace(clusterDir: string) {
  const stats = await statfs(path.dirname(clusterDir)).catch(() => undefined);
  if (stats && stats.bavail * stats.bsize < MIN_FREE_BYTES) {
    throw new EmbeddedPostgresError({
      what: "The embedded PostgreSQL could not create its database",
      why: `the disk that holds ${clusterDir} is full (${Math.round((stats.bavail * stats.bsize) / 1024 / 1024)} MiB free, at least ${MIN_FREE_BYTES / 1024 / 1024} MiB needed)`,
      waysOut: [WAYS_OUT.fixFolder(path.dirname(clusterDir)), WAYS_OUT.dataDir, WAYS_OUT.databaseUrl],
    });
  }
}

function urlFor(port: number, password: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/**
 * The port of a live postmaster that owns `clusterDir`, if one is running. A pid file whose
 * process is gone or is another program (pids are reused after a reboot or in a new container)
 * is stale: it is removed, since PostgreSQL would refuse to start while the pid is alive.
 */
function runningServerPort(clusterDir: string): number | undefined {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, dirLine, , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (Number.isInteger(pid) && Number.isInteger(port) && isPostmasterOf(pid, dirLine ?? clusterDir)) return port;
  // PostgreSQL removes a stale file whose pid is gone, but refuses to start while that pid is
  // alive as some other program, so such a file is removed here.
  rmSync(pidFile, { force: true });
  return undefined;
}

/** Whether `pid` is a live PostgreSQL server for `clusterDir` (Linux: from /proc; elsewhere: alive at all). */
function isPostmasterOf(pid: number, clusterDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but another user's (the `postgres` user's, when we are not root)
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync("/proc/self/cmdline")) return true;
  try {
    const args = readFileSync(cmdline, "utf8").split("\0");
    return path.basename(args[0] ?? "") === "postgres" && args.includes(clusterDir);
  } catch {
    return false;
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
