import { execFileSync, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startEmbeddedPostgres } from "../../src/platform/db/embedded-postgres.js";
import { EmbeddedPostgresError } from "../../src/platform/db/embedded-postgres-errors.js";

/**
 * The embedded PostgreSQL as a newcomer meets it: from any folder, as root or not, with a
 * password of its own, and with a message in plain words when it cannot start.
 */

vi.setConfig({ testTimeout: 120_000 });

const isRoot = process.getuid?.() === 0;
const folders: string[] = [];

/** A mode-700 folder, like root's home or `mktemp -d`: the `postgres` user cannot enter it. */
async function closedFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "outcome-recap-closed-"));
  await chmod(folder, 0o700);
  folders.push(folder);
  return folder;
}

/** Root-owned and traversable, like /var/lib/outcome-recap. */
async function systemFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "outcome-recap-system-"));
  await chmod(folder, 0o755);
  folders.push(folder);
  return folder;
}

afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function startFailure(start: Promise<unknown>): Promise<EmbeddedPostgresError> {
  const error = await start.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EmbeddedPostgresError);
  const failure = error as EmbeddedPostgresError;
  // Every failure offers the same three ways out, the last two always in these words.
  expect(failure.message).toContain("Ways out:");
  expect(failure.message).toContain("set DATA_DIR to another folder");
  expect(failure.message).toContain("set DATABASE_URL");
  return failure;
}

describe("the embedded PostgreSQL", () => {
  it("starts from a data folder inside a mode-700 folder, keeps its data, and comes back to it", async () => {
    const dataDir = path.join(await closedFolder(), "data");
    const systemDir = await systemFolder();
    const first = await startEmbeddedPostgres(dataDir, { systemDir });
    try {
      const sql = postgres(first.url, { max: 1, onnotice: () => {} });
      await sql`create table kept (value text)`;
      await sql`insert into kept values ('still here')`;
      await sql.end();
    } finally {
      await first.stop();
    }
    if (isRoot) {
      // The `postgres` user cannot enter the closed folder: the cluster went to the system folder,
      // and the data folder records where.
      expect(first.clusterDir.startsWith(path.join(systemDir, "clusters"))).toBe(true);
      const recorded = JSON.parse(await readFile(path.join(dataDir, "postgres-location.json"), "utf8"));
      expect(recorded.clusterDir).toBe(first.clusterDir);
    } else {
      expect(first.clusterDir).toBe(path.join(dataDir, "postgres"));
    }

    const again = await startEmbeddedPostgres(dataDir, { systemDir });
    try {
      expect(again.clusterDir).toBe(first.clusterDir);
      const sql = postgres(again.url, { max: 1, onnotice: () => {} });
      expect(await sql`select value from kept`).toEqual([{ value: "still here" }]);
      await sql.end();
    } finally {
      await again.stop();
    }
  });

  it("has a random superuser password per data folder, kept in a mode-600 file and checked with SCRAM", async () => {
    const dataDir = path.join(await systemFolder(), "data");
    const database = await startEmbeddedPostgres(dataDir, { persistent: false });
    try {
      const passwordFile = path.join(dataDir, "postgres-password");
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      const password = (await readFile(passwordFile, "utf8")).trim();
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(password).not.toBe("outcome-recap-local");
      expect(decodeURIComponent(new URL(database.url).password)).toBe(password);
      expect(new URL(database.url).hostname).toBe("127.0.0.1");

      const wrong = new URL(database.url);
      wrong.password = "outcome-recap-local";
      const refused = postgres(wrong.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
      await expect(refused`select 1`).rejects.toThrow(/password authentication failed/);
      await refused.end();

      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      const [settings] = await sql`
        select current_setting('password_encryption') as encryption,
               current_setting('listen_addresses') as listen,
               current_setting('unix_socket_directories') as sockets,
               (select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = 'postgres') as scram`;
      expect(settings).toEqual({ encryption: "scram-sha-256", listen: "127.0.0.1", sockets: "", scram: true });
      await sql.end();
    } finally {
      await database.stop();
    }
  });

  it("gives a cluster made with the old fixed password the data folder's own random one", async () => {
    const dataDir = path.join(await systemFolder(), "data");
    const database = await startEmbeddedPostgres(dataDir);
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await sql`alter role postgres password 'outcome-recap-local'`; // as clusters made before this change
    await sql.end();
    await database.stop();
    await rm(path.join(dataDir, "postgres-password"));

    const upgraded = await startEmbeddedPostgres(dataDir, { persistent: false });
    try {
      const password = (await readFile(path.join(dataDir, "postgres-password"), "utf8")).trim();
      expect(password).not.toBe("outcome-recap-local");
      const check = postgres(upgraded.url, { max: 1, onnotice: () => {} });
      expect(await check`select 1 as ok`).toEqual([{ ok: 1 }]);
      await check.end();
    } finally {
      await upgraded.stop();
    }
  });

  it("says in plain words when its port is taken by another program", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const failure = await startFailure(
        startEmbeddedPostgres(path.join(await systemFolder(), "data"), { port, persistent: false }),
      );
      expect(failure.why).toBe(`port ${port} on 127.0.0.1 is already in use by another program`);
      expect(failure.waysOut[0]).toContain(`free port ${port}`);
    } finally {
      blocker.close();
    }
  });

  it("refuses a data folder made by another PostgreSQL major version and changes nothing in it", async () => {
    const dataDir = path.join(await systemFolder(), "data");
    const clusterDir = path.join(dataDir, "postgres");
    await mkdir(clusterDir, { recursive: true });
    await writeFile(path.join(clusterDir, "PG_VERSION"), "15\n");
    const failure = await startFailure(startEmbeddedPostgres(dataDir));
    expect(failure.why).toContain("was created by PostgreSQL 15, and this build is PostgreSQL 18");
    expect(failure.waysOut[0]).toContain("pg_dump with PostgreSQL 15");
    expect(await readFile(path.join(clusterDir, "PG_VERSION"), "utf8")).toBe("15\n");
  });

  it("starts over a stale postmaster.pid whose process is another program", async () => {
    const dataDir = path.join(await systemFolder(), "data");
    const database = await startEmbeddedPostgres(dataDir);
    await database.stop();
    // After a reboot or in a new container the old pid may belong to anything: here, a sleeper.
    const other = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      await writeFile(
        path.join(database.clusterDir, "postmaster.pid"),
        `${other.pid}\n${database.clusterDir}\n1700000000\n5432\n\n127.0.0.1\n  5432001         0\nready   \n`,
      );
      const restarted = await startEmbeddedPostgres(dataDir, { persistent: false });
      const sql = postgres(restarted.url, { max: 1, onnotice: () => {} });
      expect(await sql`select 1 as ok`).toEqual([{ ok: 1 }]);
      await sql.end();
      await restarted.stop();
    } finally {
      other.kill();
    }
  });

  it("says in plain words when its data folder cannot be made", async () => {
    const notAFolder = path.join(await systemFolder(), "a-file");
    await writeFile(notAFolder, "");
    const failure = await startFailure(startEmbeddedPostgres(path.join(notAFolder, "data")));
    expect(failure.what).toBe(`The embedded PostgreSQL cannot use the folder ${path.join(notAFolder, "data")}`);
    expect(failure.why).toBe("a part of that path is a file, not a folder (ENOTDIR)");
  });

  // A full disk needs a small file system of its own: root mounts a 4 MiB tmpfs (CI runs as root).
  it.runIf(isRoot || process.env.CI)("says in plain words when the disk is full", async () => {
    const mountPoint = await systemFolder();
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint]);
    try {
      const failure = await startFailure(startEmbeddedPostgres(path.join(mountPoint, "data")));
      expect(failure.why).toMatch(/^the disk that holds .* is full/);
      expect(existsSync(path.join(mountPoint, "data", "postgres", "PG_VERSION"))).toBe(false);
    } finally {
      execFileSync("umount", [mountPoint]);
    }
  });
});
