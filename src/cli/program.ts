import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { z } from "zod";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../i18n/locales.js";
import type { Runtime } from "../main.js";
import { generatePassword } from "../platform/auth/passwords.js";
import { isScope, SCOPES, type Scope } from "../platform/auth/scopes.js";
import { survivePostgresConnectionLoss } from "../platform/db/connection-errors.js";
import { EmbeddedPostgresError } from "../platform/db/embedded-postgres-errors.js";
import { AppError } from "../platform/errors.js";
import { createLogger } from "../platform/logging.js";
import { createApiKey, revokeApiKey } from "../platform/tenancy/api-keys.js";
import { createTenantSchema } from "../platform/tenancy/tenant-input.js";
import { createTenant, findTenantBySlug } from "../platform/tenancy/tenants.js";
import { createUser, MIN_PASSWORD_LENGTH } from "../platform/tenancy/users.js";
import { THEMES, type Theme } from "../rendering/rendering.types.js";
import { printBanner } from "../startup-banner.js";

/**
 * The composition root pulls in the whole app (Hono, React pages, pg-boss): it is loaded only by
 * the commands that need it, so --help and refused arguments answer in a fraction of the time.
 */
const loadMain = () => import("../main.js");

/** Exit codes: 0 done, 1 failed, 2 bad arguments or input, 78 bad configuration (sysexits EX_CONFIG). */
const EXIT = { failed: 1, usage: 2, config: 78 } as const;

class UsageError extends Error {}

/**
 * Where a command reads its environment and standard input and writes its output. An operator's run
 * uses the process's own; the tests run commands in-process with their own, which takes milliseconds
 * where a process of its own (tsx boots, loads the app) takes seconds.
 */
export type CliIo = {
  env: Record<string, string | undefined>;
  /** Standard input, read whole; only --password-stdin reads it. */
  readStdin(): string;
  stdout(text: string): void;
  stderr(text: string): void;
};

export const processIo: CliIo = {
  env: process.env,
  readStdin: () => readFileSync(0, "utf8"),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function parseScopes(value: string): Scope[] {
  const scopes = value
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown scope ${unknown.join(", ") || "(none given)"}; choose from ${SCOPES.join(", ")}`,
    );
  }
  return scopes as Scope[];
}

/**
 * An admin command's log: LOG_LEVEL is honoured (silent, or debug to see the embedded server),
 * except that the default `info` becomes `warn`, so start-up chatter does not bury the output.
 */
function commandLogger(config: Config) {
  return createLogger(config.logLevel === "info" ? "warn" : config.logLevel, { toStderr: true });
}

/** Runs an admin command against the configured database, without the HTTP server or workers. */
async function withRuntime<T>(io: CliIo, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const { createRuntime } = await loadMain();
  const runtime = await createRuntime(config, { log: commandLogger(config), background: false });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

async function tenantBySlug(runtime: Runtime, slug: string) {
  const tenant = await findTenantBySlug(runtime.db, slug);
  if (!tenant) throw new UsageError(`no tenant with slug "${slug}"`);
  return tenant;
}

function buildCli(io: CliIo): Command {
  const program = new Command("outcome-recap")
    .description("Outcome recaps for B2B SaaS: usage in, a shareable quarterly recap out, the growth loop measured.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(text),
    });

  program
    .command("serve")
    .description("run the HTTP API (and the job worker, unless --no-worker)")
    .option("--no-worker", "serve the API only; run `outcome-recap worker` elsewhere")
    .action(async (options: { worker: boolean }) => {
      const config = loadConfig(io.env);
      const { createRuntime, serveHttp, startWorker } = await loadMain();
      const { seedDemoIfEmpty } = await import("../demo/demo-seed.js");
      const runtime = await createRuntime(config);
      survivePostgresConnectionLoss(runtime.log);
      if (options.worker) await startWorker(runtime);
      const demo = config.seedDemo ? await seedDemoIfEmpty(runtime, { history: "background" }) : undefined;
      serveHttp(runtime, runtime.close);
      printBanner(config, { worker: options.worker, embedded: runtime.embedded, demo });
    });

  program
    .command("worker")
    .description("run only the job worker (drafting, rendering, schedules, webhooks)")
    .action(async () => {
      const config = loadConfig(io.env);
      const { createRuntime, startWorker } = await loadMain();
      const runtime = await createRuntime(config);
      survivePostgresConnectionLoss(runtime.log);
      await startWorker(runtime);
      runtime.log.info("worker started");
      const stop = async () => {
        await runtime.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });

  program
    .command("migrate")
    .description("apply database migrations and exit")
    .action(async () => {
      const config = loadConfig(io.env);
      const { prepareDatabase } = await loadMain();
      const { embedded } = await prepareDatabase(config, commandLogger(config));
      await embedded?.stop();
      io.stdout("Migrations are up to date.\n");
    });

  const tenant = program.command("tenant").description("manage tenants");
  tenant
    .command("create")
    .description("create a tenant")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--slug <slug>", "short unique id, e.g. acme")
    .option("--locale <locale>", "default locale (en, et, fi, de, sv)")
    .option("--currency <code>", "ISO 4217 currency, e.g. EUR")
    .option("--signup-url <url>", "where share links send new visitors")
    .action(async (options: { name: string; slug: string; locale?: string; currency?: string; signupUrl?: string }) => {
      const input = parseInput(
        createTenantSchema,
        {
          name: options.name,
          slug: options.slug,
          ...(options.locale !== undefined ? { defaultLocale: options.locale } : {}),
          ...(options.currency !== undefined ? { currency: options.currency } : {}),
          ...(options.signupUrl !== undefined ? { signupUrl: options.signupUrl } : {}),
        },
        {
          name: "--name",
          slug: "--slug",
          defaultLocale: "--locale",
          currency: "--currency",
          signupUrl: "--signup-url",
        },
      );
      const created = await withRuntime(io, (runtime) => createTenant(runtime.db, runtime.queue, input));
      io.stdout(`Created tenant ${created.slug} (${created.id}).\n`);
    });

  const key = program.command("key").description("manage API keys");
  key
    .command("create")
    .description("create an API key; the secret is printed once")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--scopes <list>", `comma-separated: ${SCOPES.join(", ")}`, parseScopes)
    .option("--name <name>", "what the key is for", "CLI key")
    .action(async (options: { tenant: string; scopes: Scope[]; name: string }) => {
      const { key: secret, record } = await withRuntime(io, async (runtime) =>
        createApiKey(runtime.db, {
          tenantId: (await tenantBySlug(runtime, options.tenant)).id,
          name: options.name,
          scopes: options.scopes,
        }),
      );
      io.stdout(`Created key ${record.prefix} (${record.id}) with scopes ${record.scopes.join(", ")}.\n`);
      io.stdout(`Secret (shown once): ${secret}\n`);
    });
  key
    .command("revoke")
    .description("revoke an API key by id")
    .argument("<id>", "the key's id")
    .action(async (id: string) => {
      if (!z.uuid().safeParse(id).success) throw new UsageError(`"${id}" is not a key id (a UUID)`);
      const record = await withRuntime(io, (runtime) => revokeApiKey(runtime.db, undefined, id));
      io.stdout(`Revoked key ${record.prefix} (${record.id}).\n`);
    });

  const user = program.command("user").description("manage reviewers and admins");
  user
    .command("create")
    .description("create a user who signs in to the review pages")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--email <email>", "sign-in e-mail")
    .addOption(new Option("--role <role>", "reviewer or admin").choices(["reviewer", "admin"]).makeOptionMandatory())
    .option("--name <name>", "display name")
    .option("--password-stdin", `read the password from standard input (at least ${MIN_PASSWORD_LENGTH} characters)`)
    .action(
      async (options: {
        tenant: string;
        email: string;
        role: "reviewer" | "admin";
        name?: string;
        passwordStdin?: boolean;
      }) => {
        if (!z.email().safeParse(options.email).success)
          throw new UsageError(`"${options.email}" is not an e-mail address`);
        // Only the line ending that `echo` or a here-string adds is dropped: spaces may be part of a password.
        const password = options.passwordStdin ? io.readStdin().replace(/\r?\n$/, "") : generatePassword();
        if (password.length < MIN_PASSWORD_LENGTH) {
          throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
        }
        const created = await withRuntime(io, async (runtime) =>
          createUser(runtime.db, {
            tenantId: (await tenantBySlug(runtime, options.tenant)).id,
            email: options.email,
            name: options.name ?? options.email.split("@")[0] ?? options.email,
            role: options.role,
            password,
          }),
        );
        io.stdout(`Created ${created.role} ${created.email} (${created.id}).\n`);
        if (!options.passwordStdin) io.stdout(`Password (shown once): ${password}\n`);
      },
    );

  program
    .command("render")
    .description("build a recap from a usage file, without a server or database: cards, PDF, copy and digest")
    .requiredOption("--input <file>", "usage file (JSON, see docs/render-cli.md)")
    .requiredOption("--out <dir>", "folder for the files (created if missing)")
    .addOption(
      new Option("--locale <locale>", "language of the copy; default: the file's account.locale, else en").choices(
        SUPPORTED_LOCALES,
      ),
    )
    .addOption(
      new Option("--variant <variant>", "copy variant: A (numbers) or B (pride)").choices(["A", "B"]).default("A"),
    )
    .addOption(
      new Option("--theme <theme>", "card design; default: the file's product.brand.theme, else classic").choices(
        THEMES,
      ),
    )
    .action(
      async (options: { input: string; out: string; locale?: SupportedLocale; variant: "A" | "B"; theme?: Theme }) => {
        const { renderFromUsageFile } = await import("./render-command.js");
        const { UsageFileError } = await import("../usage/usage-file.js");
        try {
          io.stdout(`${(await renderFromUsageFile(options)).summary}\n`);
        } catch (error) {
          if (error instanceof UsageFileError) throw new UsageError(error.message);
          throw error;
        }
      },
    );

  program
    .command("gallery")
    .description("a contact sheet: every card size and the PDF, both themes, every language, as PNGs and an index.html")
    .requiredOption("--out <dir>", "folder for the images and index.html (created if missing)")
    .option("--input <files...>", "usage files; default: every examples/*.json, plus a case with the longest names")
    .addOption(new Option("--locale <locales...>", "languages; default: all five").choices(SUPPORTED_LOCALES))
    .addOption(new Option("--theme <themes...>", "themes; default: both").choices(THEMES))
    .action(async (options: { out: string; input?: string[]; locale?: SupportedLocale[]; theme?: Theme[] }) => {
      const { renderGallery } = await import("./gallery-command.js");
      const { UsageFileError } = await import("../usage/usage-file.js");
      try {
        const result = await renderGallery({
          out: options.out,
          inputs: options.input,
          locales: options.locale,
          themes: options.theme,
          longest: options.input === undefined,
        });
        io.stdout(`${result.summary}\n`);
      } catch (error) {
        if (error instanceof UsageFileError) throw new UsageError(error.message);
        throw error;
      }
    });

  return program;
}

/** Validates with the API's schema, and names the command-line option (not the schema field) in errors. */
function parseInput<T extends z.ZodType>(schema: T, value: unknown, options: Record<string, string>): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const messages = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "");
    const name = options[field] ?? (issue.path.join(".") || "input");
    // One message per option: a value that fails a pattern need not also be reported as unknown.
    if (!messages.has(name)) messages.set(name, `${name}: ${issue.message}`);
  }
  throw new UsageError([...messages.values()].join("; "));
}

/** Runs one command line (`argv` as in process.argv) and returns its exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildCli(io).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return EXIT.config;
    }
    if (error instanceof EmbeddedPostgresError) {
      // Already in plain words, with the ways out: a stack trace would only bury them.
      io.stderr(`error: ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof AppError) {
      io.stderr(`error: ${error.message}\n`);
      // A taken slug or e-mail, an unknown key: the command was asked for something it cannot do.
      return ["conflict", "not_found"].includes(error.code) ? EXIT.usage : EXIT.failed;
    }
    io.stderr(`error: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}
