import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type DemoCredentials, seedDemoIfEmpty } from "../../src/demo/demo-seed.js";
import { printBanner } from "../../src/startup-banner.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

/**
 * The README's examples, run as a reader would paste them: every ```sh block that calls curl, in
 * order, with bash and the real curl, against the service on a real socket with a freshly seeded
 * demo. Only the documented placeholders change: `$KEY` is the demo's API key (set in the
 * environment, as the README says) and `http://localhost:3000` the test server's address. Every
 * request must answer 2xx; a block that documents another status says so in a comment on its
 * own line, `# → 409`, and that status is then accepted too.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const DOCUMENTED_BASE = "http://localhost:3000";

type Block = { line: number; code: string };

function codeBlocks(markdown: string, languages: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (const match of markdown.matchAll(/^```([\w-]*)\n([\s\S]*?)^```$/gm)) {
    if (!languages.includes(match[1] ?? "")) continue;
    blocks.push({ line: markdown.slice(0, match.index).split("\n").length, code: match[2] ?? "" });
  }
  return blocks;
}

const curlBlocks = codeBlocks(README, ["sh", "bash", "shell"]).filter((block) => /(^|[\s($|])curl\s/m.test(block.code));
/** Each `curl` the block runs, counted where a command starts (after a newline, `$(`, `|`, `;` or `&&`). */
const curlCalls = (code: string) => (code.match(/(^|\$\(|[|;&]\s*)\s*curl\s/gm) ?? []).length;

let t: TestContext;
let dataDir: string;
let demo: DemoCredentials;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "readme-"));
  t = await createTestContext({ env: { DATA_DIR: dataDir } });
  // The demo exactly as the first `npm start` leaves it (with its loop history, which the
  // conversions example takes a share link from).
  const credentials = await seedDemoIfEmpty(t.deps);
  if (!credentials) throw new Error("the demo was not seeded");
  demo = credentials;
  server = await listen(t.app);
}, 180_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function runBash(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe("the README", () => {
  it("has curl examples to run, and curl and bash to run them with", async () => {
    expect(curlBlocks.length).toBeGreaterThanOrEqual(3);
    expect((await runBash("command -v curl && command -v bash", {})).code).toBe(0);
  });

  it("sends only ASCII in the examples' headers (a pasted non-ASCII Idempotency-Key is a 400)", () => {
    for (const block of curlBlocks) {
      for (const [, header] of block.code.matchAll(/-H\s+(?:"([^"]*)"|'([^']*)')/g)) {
        if (header !== undefined) expect(header, `README line ${block.line}`).toMatch(/^[\x20-\x7e]*$/);
      }
    }
  });

  it("shows the start-up banner that `npm start` prints", () => {
    const intro = README.indexOf("`npm start` prints where everything is");
    const [sample] = codeBlocks(README.slice(intro), [""]);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      printBanner(
        { ...t.deps.config, publicBaseUrl: DOCUMENTED_BASE },
        {
          worker: true,
          embedded: { clusterDir: ".data/postgres" },
          // The README's placeholders for what each start generates.
          demo: {
            tenantSlug: "demo",
            apiKey: "ork_…",
            reviewerEmail: demo.reviewerEmail,
            reviewerPassword: "<generated password>",
          },
        },
      );
      const printed = log.mock.calls.map((call) => String(call[0])).join("\n");
      expect(sample?.code.trim()).toBe(printed.trim());
    } finally {
      log.mockRestore();
    }
  });

  for (const block of curlBlocks) {
    const title = block.code.split("\n")[0]?.slice(0, 70);
    it(`runs the example at line ${block.line} (${title}) with every request answered as documented`, async () => {
      const allowed = new Set([...block.code.matchAll(/^\s*# → (\d{3})\b/gm)].map((match) => Number(match[1])));
      const script = [
        "set -eo pipefail",
        // The real curl, reporting each answer's status on stderr, where the example's pipes do not see it.
        `curl() { command curl --show-error -w '%{stderr}README-STATUS %{http_code}\\n' "$@"; }`,
        block.code.replaceAll(DOCUMENTED_BASE, server.url),
      ].join("\n");
      const run = await runBash(script, { KEY: demo.apiKey });
      const detail = `README line ${block.line}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
      expect(run.code, detail).toBe(0);
      const statuses = [...run.stderr.matchAll(/README-STATUS (\d{3})/g)].map((match) => Number(match[1]));
      expect(statuses, detail).toHaveLength(curlCalls(block.code));
      for (const status of statuses) {
        if (!allowed.has(status)) expect(status, detail).toBeGreaterThanOrEqual(200);
        if (!allowed.has(status)) expect(status, detail).toBeLessThan(300);
      }
    });
  }
});
