import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { runCli as runCommandLine } from "../../src/cli/program.js";
import { sha256 } from "../../src/platform/auth/hashing.js";
import { latestMigrationStamp } from "../../src/platform/db/migrate.js";
import { verifyCredentials } from "../../src/platform/tenancy/users.js";
import { databaseUrl } from "../support/database-url.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

// A few commands run as a process of their own (tsx boots, loads the app, connects): on a busy machine
// those can take well over vitest's default 30 s each.
vi.setConfig({ testTimeout: 90_000 });

type CliResult = { code: number | null; stdout: string; stderr: string };
type CliOptions = { env?: Record<string, string | undefined>; input?: string };

/** The environment a command sees: ours, LOG_LEVEL=silent, then the test's (undefined unsets). */
function commandEnv(options: CliOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, LOG_LEVEL: "silent", ...options.env })) {
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * Runs one command line in this process, through the same `runCli` the binary calls, with its own
 * environment, standard input and captured output: the exit code and both streams as the
 * operator would see them, in milliseconds instead of the seconds a new process costs.
 */
async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCommandLine(["node", "outcome-recap", ...args], {
    env: commandEnv(options),
    readStdin: () => options.input ?? "",
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/**
 * Runs `tsx src/cli.ts <args>` as its own process, the way an operator would: for what only a real
 * process shows (the exit status, streams, an embedded server stopped before the process ends).
 * Standard input gets `input` (or nothing) and is then closed.
 */
function runCliProcess(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = commandEnv(options);
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ["src/cli.ts", ...args], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    // A command that hangs would otherwise hold the test until vitest's own timeout, with no output.
    const timer = setTimeout(() => child.kill("SIGTERM"), 100_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

let t: TestContext;
/** The CLI runs against this file's own database. */
let cliEnv: Record<string, string>;
let sql: TestContext["deps"]["sql"];

beforeAll(async () => {
  t = await createTestContext();
  cliEnv = { DATABASE_URL: t.databaseUrl };
  sql = t.deps.sql;
});
afterAll(() => t.close());

async function tenantCount(): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from tenants`;
  return row?.n ?? 0;
}

describe("outcome-recap CLI", () => {
  let tenantId: string;

  it("creates a tenant with the given options, prints its slug and id, and queues its provisioning", async () => {
    const result = await runCliProcess(
      [
        "tenant",
        "create",
        "--name",
        "Acme Analytics",
        "--slug",
        "acme",
        "--locale",
        "de",
        "--currency",
        "USD",
        "--signup-url",
        "https://acme.example/signup",
      ],
      { env: cliEnv },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const match = new RegExp(`^Created tenant acme \\((${UUID})\\)\\.\\n$`).exec(result.stdout);
    expect(match, result.stdout).not.toBeNull();
    tenantId = match?.[1] as string;

    const [tenant] = await sql`
      select name, slug, default_locale, currency, signup_url, brand from tenants where id = ${tenantId}`;
    expect(tenant).toMatchObject({
      name: "Acme Analytics",
      slug: "acme",
      default_locale: "de",
      currency: "USD",
      signup_url: "https://acme.example/signup",
    });
    expect(tenant?.brand.productName).toBe("Acme Analytics");
    const jobs =
      await sql`select id from pgboss.job where name = 'tenant.provision' and data->>'tenantId' = ${tenantId}`;
    expect(jobs).toHaveLength(1);
  });

  it("refuses a slug that is taken with exit code 2 and says so", async () => {
    const result = await runCli(["tenant", "create", "--name", "Other Acme", "--slug", "acme"], { env: cliEnv });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe('error: A tenant with slug "acme" already exists.\n');
    expect(await tenantCount()).toBe(1);
  });

  // These refuse the input before anything is written, so they may run side by side.
  describe.concurrent("refusing bad input", () => {
    it("refuses a bad slug with exit code 2, naming --slug", async () => {
      const result = await runCli(["tenant", "create", "--name", "Bad", "--slug", "Bad Slug!"], { env: cliEnv });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("error: --slug: must be 1–40 lower-case letters, digits or dashes\n");
    });

    it("refuses an unsupported locale and an unknown currency with exit code 2, naming each option once", async () => {
      const result = await runCli(
        ["tenant", "create", "--name", "X", "--slug", "x", "--locale", "xx", "--currency", "eur"],
        {
          env: cliEnv,
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: --locale: .*"en".*; --currency: must be an ISO 4217 code such as EUR\n$/);
      expect(await tenantCount()).toBe(1);
    });

    it("refuses an unknown scope with exit code 2, naming it and listing the valid ones", async () => {
      const result = await runCli(["key", "create", "--tenant", "acme", "--scopes", "recaps:read,recaps:delete"], {
        env: cliEnv,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("unknown scope recaps:delete; choose from events:write,");
      expect(result.stdout).toBe("");
    });

    it("refuses a key for a tenant that does not exist with exit code 2", async () => {
      const result = await runCli(["key", "create", "--tenant", "nobody", "--scopes", "admin"], { env: cliEnv });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('error: no tenant with slug "nobody"\n');
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from api_keys`;
      expect(row?.n).toBe(0);
    });

    it("refuses to revoke something that is not a key id with exit code 2", async () => {
      const result = await runCli(["key", "revoke", "not-a-uuid"], { env: cliEnv });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('error: "not-a-uuid" is not a key id (a UUID)\n');
    });

    it("refuses to revoke a key that does not exist with exit code 2", async () => {
      const result = await runCli(["key", "revoke", "00000000-0000-4000-8000-000000000000"], { env: cliEnv });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("error: No API key 00000000-0000-4000-8000-000000000000.\n");
    });

    it("refuses a password from standard input that is too short with exit code 2, creating no user", async () => {
      const result = await runCli(
        ["user", "create", "--tenant", "acme", "--email", "short@acme.test", "--role", "admin", "--password-stdin"],
        { env: cliEnv, input: "tooshort\n" },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("error: the password must have at least 12 characters\n");
      expect(await sql`select id from users where email = 'short@acme.test'`).toHaveLength(0);
    });

    it("refuses a command without its required options with exit code 2, naming the missing one", async () => {
      const result = await runCli(["user", "create", "--tenant", "acme", "--role", "reviewer"], { env: cliEnv });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("error: required option '--email <email>' not specified\n");
    });

    it("refuses a role other than reviewer or admin with exit code 2", async () => {
      const result = await runCli(["user", "create", "--tenant", "acme", "--email", "r@acme.test", "--role", "owner"], {
        env: cliEnv,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Allowed choices are reviewer, admin.");
    });

    it("refuses an unknown command with exit code 2", async () => {
      const result = await runCliProcess(["frobnicate"], { env: cliEnv });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("error: unknown command 'frobnicate'\n");
    });

    it("prints help with exit code 0, even when the environment is invalid", async () => {
      const result = await runCliProcess(["--help"], { env: { ...cliEnv, PORT: "abc" } });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: outcome-recap [options] [command]");
      for (const command of ["serve", "worker", "migrate", "tenant", "key", "user"]) {
        expect(result.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
      }
    });

    it("stops with exit code 78 and names the variable when the environment is invalid", async () => {
      const result = await runCliProcess(["tenant", "create", "--name", "Port", "--slug", "port"], {
        env: { ...cliEnv, PORT: "abc" },
      });
      expect(result.code).toBe(78);
      expect(result.stderr).toBe("Invalid configuration:\n  PORT: must be a whole number\n");
      expect(await tenantCount()).toBe(1);
    });

    it("fails with exit code 1 and the reason when the database cannot be reached", async () => {
      const result = await runCli(["tenant", "create", "--name", "Down", "--slug", "down"], {
        env: { DATABASE_URL: "postgres://nobody:nothing@127.0.0.1:1/none" },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("ECONNREFUSED");
    });
  });

  describe("API keys", () => {
    let secret: string;
    let keyId: string;

    it("creates a key whose secret is printed once, stored only as a hash, and works against the API", async () => {
      const result = await runCli(
        ["key", "create", "--tenant", "acme", "--scopes", "recaps:read, admin", "--name", "Nightly export"],
        { env: cliEnv },
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const match = new RegExp(
        `^Created key (ork_[0-9a-f]{8}) \\((${UUID})\\) with scopes admin, recaps:read\\.\\nSecret \\(shown once\\): (\\S+)\\n$`,
      ).exec(result.stdout);
      expect(match, result.stdout).not.toBeNull();
      const [, prefix, id, printed] = match as RegExpExecArray;
      keyId = id as string;
      secret = printed as string;
      expect(secret.startsWith(`${prefix}_`)).toBe(true);

      const [row] = await sql`
        select tenant_id, name, prefix, scopes, key_hash, revoked_at from api_keys where id = ${keyId}`;
      expect(row).toEqual({
        tenant_id: tenantId,
        name: "Nightly export",
        prefix,
        scopes: ["admin", "recaps:read"],
        key_hash: sha256(secret),
        revoked_at: null,
      });

      const tenant = await call(t.app, "GET", "/v1/tenant", { key: secret });
      expect(tenant.status).toBe(200);
      expect(tenant.body).toMatchObject({ id: tenantId, slug: "acme" });
      // The admin scope is real: the key may list the tenant's keys.
      const keys = await call(t.app, "GET", "/v1/api-keys", { key: secret });
      expect(keys.status).toBe(200);
      expect(keys.text).toContain(keyId);
      expect(keys.text).not.toContain(secret);
    });

    it("revokes a key by id, after which its secret is refused", async () => {
      const result = await runCli(["key", "revoke", keyId], { env: cliEnv });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Revoked key ork_[0-9a-f]{8} \\(${keyId}\\)\\.\\n$`));
      const [row] = await sql`
        select revoked_at is not null and revoked_at > now() - interval '5 minutes' as revoked_now
        from api_keys where id = ${keyId}`;
      expect(row?.revoked_now).toBe(true);
      const response = await call(t.app, "GET", "/v1/tenant", { key: secret });
      expect(response.status).toBe(401);
    });
  });

  describe("users", () => {
    it("creates a reviewer with a generated password that signs in", async () => {
      const result = await runCli(["user", "create", "--tenant", "acme", "--email", "a@b.test", "--role", "reviewer"], {
        env: cliEnv,
      });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const match = new RegExp(
        `^Created reviewer a@b\\.test \\((${UUID})\\)\\.\\nPassword \\(shown once\\): (\\S+)\\n$`,
      ).exec(result.stdout);
      expect(match, result.stdout).not.toBeNull();
      const [, id, password] = match as RegExpExecArray;
      expect(password?.length).toBeGreaterThanOrEqual(12);

      const user = await verifyCredentials(t.deps.db, "a@b.test", password as string);
      expect(user).toMatchObject({ id, tenantId, role: "reviewer", name: "a" });
      expect(user?.passwordHash).not.toContain(password as string);
    });

    it("takes a password from standard input as typed, spaces included, and does not print it", async () => {
      const password = "  correct horse battery staple ";
      const result = await runCliProcess(
        [
          "user",
          "create",
          "--tenant",
          "acme",
          "--email",
          "admin@acme.test",
          "--role",
          "admin",
          "--name",
          "Ada Admin",
          "--password-stdin",
        ],
        { env: cliEnv, input: `${password}\n` },
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Created admin admin@acme\\.test \\(${UUID}\\)\\.\\n$`));
      expect(await verifyCredentials(t.deps.db, "admin@acme.test", password)).toMatchObject({
        name: "Ada Admin",
        role: "admin",
      });
      expect(await verifyCredentials(t.deps.db, "admin@acme.test", password.trim())).toBeUndefined();
    });

    it("refuses an e-mail address that is taken with exit code 2", async () => {
      const result = await runCli(["user", "create", "--tenant", "acme", "--email", "A@B.test", "--role", "admin"], {
        env: cliEnv,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("error: A user with e-mail A@B.test already exists.\n");
      expect(result.stdout).toBe("");
    });
  });
});

describe("outcome-recap migrate", () => {
  it("migrates an empty database, and running it again changes nothing", async () => {
    const adminUrl = inject("adminDatabaseUrl");
    const name = `t_empty_${randomBytes(6).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = databaseUrl(adminUrl, name);
    const db = postgres(url, { max: 1, onnotice: () => {} });
    const applied = async () =>
      db<{ n: number; latest: string }[]>`
        select count(*)::int as n, max(created_at)::text as latest from drizzle.__drizzle_migrations`;
    try {
      const first = await runCli(["migrate"], { env: { DATABASE_URL: url } });
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toBe("Migrations are up to date.\n");
      const [afterFirst] = await applied();
      expect(Number(afterFirst?.latest)).toBe(latestMigrationStamp());
      expect(await db`select id from tenants`).toEqual([]);

      const second = await runCli(["migrate"], { env: { DATABASE_URL: url } });
      expect(second.code).toBe(0);
      expect(second.stdout).toBe("Migrations are up to date.\n");
      expect(await applied()).toEqual([afterFirst]);
    } finally {
      await db.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

describe("the embedded database", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "outcome-recap-cli-"));
    // As root the server runs as the `postgres` user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps data between runs when DATABASE_URL is unset, and stops its server after each command", async () => {
    const env = { DATABASE_URL: undefined, DATA_DIR: dataDir };
    const created = await runCliProcess(["tenant", "create", "--name", "Local", "--slug", "local"], { env });
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created tenant local \(/);
    expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

    const key = await runCliProcess(["key", "create", "--tenant", "local", "--scopes", "admin"], { env });
    expect(key.stderr).toBe("");
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/\nSecret \(shown once\): ork_[0-9a-f]{8}_\S{43}\n$/);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  }, 120_000);
});
