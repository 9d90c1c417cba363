/**
 * A failure to start the embedded PostgreSQL, told in plain words: what failed, why, and the ways
 * out. The command line prints `message` as it is (no stack trace) and exits with code 1.
 */
export class EmbeddedPostgresError extends Error {
  readonly what: string;
  readonly why: string;
  readonly waysOut: string[];

  constructor(parts: { what: string; why: string; waysOut: string[] }) {
    super(
      [
        `${parts.what}: ${parts.why}.`,
        "",
        "Ways out:",
        ...parts.waysOut.map((way, index) => `  ${index + 1}. ${way}`),
      ].join("\n"),
    );
    this.name = "EmbeddedPostgresError";
    this.what = parts.what;
    this.why = parts.why;
    this.waysOut = parts.waysOut;
  }
}

export const WAYS_OUT = {
  fixFolder: (folder: string) => `fix the folder: make ${folder} writable, or free space on its disk`,
  dataDir: "set DATA_DIR to another folder, e.g. `DATA_DIR=/var/tmp/outcome-recap npm start`",
  databaseUrl:
    "set DATABASE_URL to a PostgreSQL 14 or newer you run yourself, e.g. `DATABASE_URL=postgres://user:pass@host:5432/db npm start`",
};

/**
 * Reads PostgreSQL's own output (initdb or postgres, with LC_MESSAGES=C) and the error of the
 * process start, and says what went wrong. `step` names the program that failed.
 */
export function explainStartFailure(input: {
  step: "initdb" | "postgres";
  clusterDir: string;
  port: number;
  output: string;
  spawnError?: NodeJS.ErrnoException;
}): EmbeddedPostgresError {
  const { step, clusterDir, port, output, spawnError } = input;
  const what =
    step === "initdb"
      ? "The embedded PostgreSQL could not create its database"
      : "The embedded PostgreSQL did not start";
  const standard = [WAYS_OUT.fixFolder(clusterDir), WAYS_OUT.dataDir, WAYS_OUT.databaseUrl];

  if (spawnError?.code === "EACCES" || /permission denied/i.test(output)) {
    const root = process.getuid?.() === 0;
    return new EmbeddedPostgresError({
      what,
      why: root
        ? `the \`postgres\` user it runs as (PostgreSQL refuses to run as root) is not allowed into ${clusterDir} or its programs${detail(output, spawnError)}`
        : `permission denied in ${clusterDir} or on its programs${detail(output, spawnError)}`,
      waysOut: [
        root
          ? `fix the folder: let the postgres user enter every folder above ${clusterDir} (e.g. chmod o+x), or remove the data folder so the next start places the cluster where it can`
          : WAYS_OUT.fixFolder(clusterDir),
        WAYS_OUT.dataDir,
        WAYS_OUT.databaseUrl,
      ],
    });
  }
  if (spawnError?.code === "ENOSPC" || /no space left on device|could not (write|extend)|disk full/i.test(output)) {
    return new EmbeddedPostgresError({
      what,
      why: `the disk that holds ${clusterDir} is full${detail(output)}`,
      waysOut: standard,
    });
  }
  if (/address already in use|could not bind|could not create any TCP\/IP sockets/i.test(output)) {
    return new EmbeddedPostgresError({
      what,
      why: `port ${port} on 127.0.0.1 is already in use by another program`,
      waysOut: [
        `free port ${port}, or leave POSTGRES_PORT unset so that a free port is chosen`,
        WAYS_OUT.dataDir,
        WAYS_OUT.databaseUrl,
      ],
    });
  }
  const incompatible = /database files are incompatible with server.*?initialized by PostgreSQL version (\d+)/is.exec(
    output,
  );
  if (incompatible) return versionMismatch(clusterDir, incompatible[1] ?? "another");
  if (/lock file .*postmaster\.pid.* already exists/i.test(output)) {
    return new EmbeddedPostgresError({
      what,
      why: `another PostgreSQL process is already running on ${clusterDir} (its postmaster.pid names a live process)`,
      waysOut: [
        "stop the other service that uses this data folder, or, if none is running, delete postmaster.pid in that folder",
        WAYS_OUT.dataDir,
        WAYS_OUT.databaseUrl,
      ],
    });
  }
  if (spawnError) {
    return new EmbeddedPostgresError({
      what,
      why: `${spawnError.code ?? "error"}: ${spawnError.message}`,
      waysOut: standard,
    });
  }
  return new EmbeddedPostgresError({
    what,
    why: `PostgreSQL said: ${lastLines(output) || "nothing"}`,
    waysOut: standard,
  });
}

/** A cluster made by another major version: this build cannot open it, and nothing is changed. */
export function versionMismatch(clusterDir: string, foundVersion: string, ourVersion?: string): EmbeddedPostgresError {
  return new EmbeddedPostgresError({
    what: "The embedded PostgreSQL cannot open its data folder",
    why: `${clusterDir} was created by PostgreSQL ${foundVersion}${ourVersion ? `, and this build is PostgreSQL ${ourVersion}` : ""}; a major version cannot open another's files`,
    waysOut: [
      `fix the folder: move ${clusterDir} away (after a pg_dump with PostgreSQL ${foundVersion} if its data matters) so a new one is made`,
      WAYS_OUT.dataDir,
      WAYS_OUT.databaseUrl,
    ],
  });
}

function detail(output: string, spawnError?: NodeJS.ErrnoException): string {
  const said = lastLines(output);
  if (said) return ` (PostgreSQL said: ${said})`;
  if (spawnError?.path) return ` (${spawnError.code} on ${spawnError.path})`;
  return "";
}

/** The last few meaningful lines of PostgreSQL's output, on one line. */
function lastLines(output: string): string {
  return output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("HINT") && !/^\d{4}-\d\d-\d\d .*LOG:/.test(line))
    .slice(-3)
    .join(" ");
}
