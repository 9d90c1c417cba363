import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, httpRequest, until } from "../faults/processes.js";

/**
 * The first command as a newcomer runs it: `npm start` in a clone that lives in a mode-700
 * folder (root's home on Debian, any `mktemp -d`), as whoever runs the suite (root in CI).
 */

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let home: string;
let clone: string;
let systemDir: string;
/** What the test runner writes into node_modules while the suite runs. */
const RUN_CACHES = new Set([".vitest-cache", ".vite", ".cache"]);

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), "outcome-recap-home-"));
  await chmod(home, 0o700);
  clone = path.join(home, "outcome-recap");
  await mkdir(clone);
  // The working tree's files that git would clone (with what is not committed yet: the state under test), and
  // node_modules as hard links: same files, but reachable only through the closed folder.
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  execFileSync("cp", ["--parents", "-r", "-t", clone, ...files.filter((file) => !file.startsWith("node_modules/"))], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  // Without the caches vitest and vite write while the suite runs: a file they replace mid-copy fails cp.
  const modules = (await readdir(path.join(ROOT, "node_modules"))).filter((entry) => !RUN_CACHES.has(entry));
  await mkdir(path.join(clone, "node_modules"));
  execFileSync("cp", ["-al", "-t", path.join(clone, "node_modules"), ...modules], {
    cwd: path.join(ROOT, "node_modules"),
  });
  systemDir = await mkdtemp(path.join(tmpdir(), "outcome-recap-system-"));
  await chmod(systemDir, 0o755);
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(systemDir, { recursive: true, force: true });
});

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function npmStart(env: Record<string, string>): Run {
  let output = "";
  const child = spawn("npm", ["start"], {
    cwd: clone,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      TMPDIR: process.env.TMPDIR ?? "/tmp",
      HOST: "127.0.0.1",
      SEED_DEMO: "false",
      POSTGRES_SYSTEM_DIR: systemDir,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so the whole npm → tsx → node tree can be stopped
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function stop(run: Run) {
  try {
    if (run.child.pid) process.kill(-run.child.pid, "SIGTERM");
  } catch {} // already gone
}

describe("npm start from a fresh clone in a mode-700 folder", () => {
  it("serves until /readyz answers, with the database where the postgres user can reach it", async () => {
    const port = await freePort();
    const run = npmStart({ PORT: String(port), LOG_LEVEL: "info" });
    try {
      const ready = await until(
        "/readyz answers 200",
        async () => {
          if (run.child.exitCode !== null) throw new Error(`npm start exited:\n${run.output()}`);
          const answer = await httpRequest(`http://127.0.0.1:${port}/readyz`, {}).catch(() => undefined);
          return answer?.status === 200 ? answer : undefined;
        },
        200_000,
      );
      expect(ready.status).toBe(200);
      expect(run.output()).toContain("outcome-recap is running");
      if (process.getuid?.() === 0) {
        expect(run.output()).toContain(`embedded PostgreSQL in ${path.join(systemDir, "clusters")}`);
      }
    } finally {
      stop(run);
      await run.exited;
    }
  });

  it("says what failed, why and the ways out, exits 1, and prints no stack trace", async () => {
    const notAFolder = path.join(home, "not-a-folder");
    await writeFile(notAFolder, "");
    const run = npmStart({
      PORT: String(await freePort()),
      DATA_DIR: path.join(notAFolder, "data"),
      LOG_LEVEL: "warn",
    });
    const code = await run.exited;
    const output = run.output();
    expect(code).toBe(1);
    expect(output).toContain(`error: The embedded PostgreSQL cannot use the folder ${path.join(notAFolder, "data")}`);
    expect(output).toContain("Ways out:");
    expect(output).toContain("set DATA_DIR to another folder");
    expect(output).toContain("set DATABASE_URL");
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(output).not.toContain("Emitted 'error' event");
  });
});
