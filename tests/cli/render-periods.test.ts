import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli as runCommandLine } from "../../src/cli/program.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Two renders of four assets each share two busy cores.
vi.setConfig({ testTimeout: 60_000 });

type CliResult = { code: number; stdout: string; stderr: string };

/** One command line in this process, through the same runCli the binary calls. */
async function runCli(args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCommandLine(["node", "outcome-recap", ...args], {
    env: { ...process.env, LOG_LEVEL: "silent" },
    readStdin: () => "",
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

let dir: string;
let example: Record<string, unknown>;

/** The Finnish example (daily rows from April to September 2026) for another period, as of 5 October 2026. */
async function fileFor(name: string, period: string, extra: Record<string, unknown> = {}): Promise<string> {
  const target = path.join(dir, `${name}.json`);
  await writeFile(target, JSON.stringify({ ...example, period, asOf: "2026-10-05T12:00:00+03:00", ...extra }));
  return target;
}

async function digestIn(out: string) {
  return JSON.parse(await readFile(path.join(out, "digest.json"), "utf8"));
}

let year: CliResult;
let window: CliResult;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "render-periods-"));
  example = JSON.parse(await readFile(path.join(ROOT, "examples", "kide-analytics.fi.json"), "utf8"));
  const [yearFile, windowFile] = await Promise.all([fileFor("year", "2026"), fileFor("window", "P90D/2026-09-30")]);
  [year, window] = await Promise.all([
    runCli(["render", "--input", yearFile, "--out", path.join(dir, "year")]),
    runCli(["render", "--input", windowFile, "--locale", "en", "--out", path.join(dir, "window")]),
  ]);
});
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe("outcome-recap render with any period", () => {
  it("renders a year in review as the year to date when the file's asOf is inside the year", async () => {
    expect(year.stderr).toBe("");
    expect(year.code).toBe(0);
    expect(year.stdout).toContain("Kide Analytics Oy, 2026 so far (fi");
    const digest = await digestIn(path.join(dir, "year"));
    expect(digest.period).toMatchObject({ label: "2026", yearToDate: true, end: "2026-10-05T09:00:00.000Z" });
    expect(digest.previousPeriod).toMatchObject({ label: "2025", start: "2024-12-31T22:00:00.000Z" });
    // Twelve months would be the whole year: the year so far has ten, January to October.
    expect(digest.chart.granularity).toBe("month");
    expect(digest.chart.points.map((point: { start: string }) => point.start)).toHaveLength(10);
    const card = PNG.sync.read(await readFile(path.join(dir, "year", "linkedin.png")));
    expect([card.width, card.height]).toEqual([1200, 627]);
    const copy = JSON.parse(await readFile(path.join(dir, "year", "copy.json"), "utf8"));
    expect(copy.factCheck.ok).toBe(true);
  });

  it("renders a trailing window with the window before it as the comparison and no return on the subscription", async () => {
    expect(window.stderr).toBe("");
    expect(window.code).toBe(0);
    expect(window.stdout).toContain("Kide Analytics Oy, the last 90 days (en");
    expect(window.stdout).toContain("a trailing window states none");
    const digest = await digestIn(path.join(dir, "window"));
    // 90 local days, 3 July to 30 September inclusive, and the 90 before them.
    expect(digest.period).toMatchObject({
      label: "P90D/2026-09-30",
      start: "2026-07-02T21:00:00.000Z",
      end: "2026-09-30T21:00:00.000Z",
    });
    expect(digest.previousPeriod).toMatchObject({ label: "P90D/2026-07-02", start: "2026-04-03T21:00:00.000Z" });
    expect(digest.facts.some((fact: { id: string }) => fact.id === "roi")).toBe(false);
    expect(digest.chart.granularity).toBe("week");
    const copy = JSON.parse(await readFile(path.join(dir, "window", "copy.json"), "utf8"));
    expect(copy.factCheck.ok).toBe(true);
    expect(copy.copy.transparencyNote).toMatch(/90 days/);
  });

  it("refuses a period that is no period with exit code 2 and the forms it takes", async () => {
    for (const bad of ["2026-Q5", "Q3 2026", "P0D/2026-09-30", "P90D/2026-02-30", "2026-09-30/2026-07-01"]) {
      const result = await runCli(["render", "--input", await fileFor("bad", bad), "--out", path.join(dir, "bad")]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: .*bad\.json: the usage file has 1 problem:\n {2}period: /);
    }
    const result = await runCli(["render", "--input", await fileFor("bad", "2026-Q5"), "--out", path.join(dir, "bad")]);
    expect(result.stderr).toContain(
      'period: must be a quarter such as "2026-Q3", a year such as "2026", or a trailing window such as "P90D/2026-10-02"',
    );
  });

  it("refuses a period that has not begun as of the file's asOf, in the API's words", async () => {
    for (const future of ["2027", "2026-Q4", "P30D/2026-10-06"]) {
      const input = await fileFor("future", future, { asOf: "2026-09-30T12:00:00+03:00" });
      const result = await runCli(["render", "--input", input, "--out", path.join(dir, "future")]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("period: is in the future");
    }
  });
});
