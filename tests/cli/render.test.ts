import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

// Three processes start side by side, one of them rendering four assets: generous on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

type CliResult = { code: number | null; stdout: string; stderr: string };

/** Runs `tsx src/cli.ts <args>` as its own process, the way an operator would. */
function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ["src/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent" },
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
    const timer = setTimeout(() => child.kill("SIGTERM"), 170_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The Finnish (or English) headline templates as patterns: "{{account}}: {{amount}} koneelle" → /^.+: .+ koneelle$/. */
function headlinePatterns(locale: string): RegExp[] {
  const copy = JSON.parse(readFileSync(path.join(ROOT, "locales", locale, "copy.json"), "utf8"));
  const strings: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") strings.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(copy.headline);
  return strings.map(
    (template) =>
      new RegExp(
        `^${template
          .split(/\{\{\w+\}\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(".+")}$`,
        "u",
      ),
  );
}

let dir: string;
let out: string;
let rendered: CliResult;
let badFile: CliResult;
let noInput: CliResult;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "render-cli-"));
  out = path.join(dir, "kide");
  const bad = path.join(dir, "bad.json");
  const example = JSON.parse(await readFile(path.join(ROOT, "examples", "kide-analytics.fi.json"), "utf8"));
  example.account.timeZone = "Mars/Olympus";
  example.daily[3].date = "2026-02-30";
  await writeFile(bad, JSON.stringify(example));
  // Each is a process of its own: starting them together keeps the file to one process's time.
  [rendered, badFile, noInput] = await Promise.all([
    runCli(["render", "--input", "examples/kide-analytics.fi.json", "--locale", "fi", "--out", out]),
    runCli(["render", "--input", bad, "--out", path.join(dir, "bad")]),
    runCli(["render", "--out", path.join(dir, "none")]),
  ]);
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("outcome-recap render", () => {
  it("renders the Finnish example into the four assets, the copy and the digest, and exits 0", () => {
    expect(rendered.stderr).toBe("");
    expect(rendered.code).toBe(0);
    for (const name of ["linkedin.png", "square.png", "story.png", "recap.pdf", "copy.json", "digest.json"]) {
      expect(existsSync(path.join(out, name)), name).toBe(true);
      expect(rendered.stdout).toContain(path.join(out, name));
    }
    expect(rendered.stdout).toContain("Kide Analytics Oy, Q3\u00a02026 (fi, variant A, classic)");
    expect(rendered.stdout).toContain("No peer comparison");
  });

  it.each([
    ["linkedin.png", 1200, 627],
    ["square.png", 1080, 1080],
    ["story.png", 1080, 1920],
  ])("draws %s at %i×%i", async (name, width, height) => {
    const metadata = await sharp(path.join(out, name)).metadata();
    expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({
      format: "png",
      width,
      height,
    });
  });

  it("writes a one-page PDF", async () => {
    const bytes = await readFile(path.join(out, "recap.pdf"));
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const document = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
    try {
      expect(document.numPages).toBe(1);
    } finally {
      await document.destroy();
    }
  });

  it("drafts Finnish copy that passes the fact-check, from the digest it writes beside it", async () => {
    const copy = JSON.parse(await readFile(path.join(out, "copy.json"), "utf8"));
    const digest = JSON.parse(await readFile(path.join(out, "digest.json"), "utf8"));
    expect(copy).toMatchObject({ locale: "fi", variant: "A", theme: "classic", factCheck: { ok: true } });
    expect(copy.factCheck.numbers.length).toBeGreaterThan(0);
    expect(copy.factCheck.mismatches).toEqual([]);
    const headline: string = copy.copy.headline;
    expect(rendered.stdout).toContain(`Headline: ${headline}\n`);
    expect(
      headlinePatterns("fi").some((pattern) => pattern.test(headline)),
      headline,
    ).toBe(true);
    expect(
      headlinePatterns("en").some((pattern) => pattern.test(headline)),
      headline,
    ).toBe(false);
    expect(digest).toMatchObject({ status: "ok", period: { label: "2026-Q3", timeZone: "Europe/Helsinki" } });
    expect(copy.copy.highlights.map((highlight: { factId: string }) => highlight.factId)).toEqual(digest.headline);
    expect(digest.chart.points).toHaveLength(14);
  });

  it("refuses a bad usage file with exit code 2, naming every bad JSON path", () => {
    expect(badFile.code).toBe(2);
    expect(badFile.stdout).toBe("");
    expect(badFile.stderr).toMatch(/^error: .*bad\.json: the usage file has 2 problems:\n/);
    expect(badFile.stderr).toContain("  account.timeZone: is not an IANA time zone");
    expect(badFile.stderr).toContain("  daily[3].date: must be a date such as 2026-07-01");
    expect(existsSync(path.join(dir, "bad"))).toBe(false);
  });

  it("refuses to run without --input, with exit code 2", () => {
    expect(noInput.code).toBe(2);
    expect(noInput.stdout).toBe("");
    expect(noInput.stderr).toContain("required option '--input <file>' not specified");
  });
});
