import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { z } from "zod";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "./i18n/locales.js";
import type { Runtime } from "./main.js";
import { generatePassword } from "./platform/auth/passwords.js";
import { isScope, SCOPES, type Scope } from "./platform/auth/scopes.js";
import { survivePostgresConnectionLoss } from "./platform/db/connection-errors.js";
import { EmbeddedPostgresError } from "./platform/db/embedded-postgres-errors.js";
import { AppError } from "./platform/errors.js";
import { createLogger } from "./platform/logging.js";
import { createApiKey, revokeApiKey } from "./platform/tenancy/api-keys.js";
import { createTenantSchema } from "./platform/tenancy/tenant-input.js";
import { createTenant, findTenantBySlug } from "./platform/tenancy/tenants.js";
import { createUser, MIN_PASSWORD_LENGTH } from "./platform/tenancy/users.js";
import { THEMES, type Theme } from "./rendering/rendering.types.js";
import { printBanner } from "./startup-banner.js";

/**
 * The composition root pulls in the whole app (Hono, React pages, pg-boss): it is loaded only by
 * the commands that need it, so --help and refused arguments answer in a fraction of the time.
 */
const loadMain = () => import("./main.js");

/** Exit codes: 0 done, 1 failed, 2 bad arguments or input, 78 bad configuration (sysexits EX_CONFIG). */
const EXIT = { failed: 1, usage: 2, config: 78 } as const;

class UsageError extends Error {}

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
async function withRuntime<T>(work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig();
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

function buildCli(): Command {
  const program = new Command("outcome-recap")
    .description("Outcome recaps for B2B SaaS: usage in, a shareable quarterly recap out, the growth loop measured.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command("serve")
    .description("run the HTTP API (and the job worker, unless --no-worker)")
    .option("--no-worker", "serve the API only; run `outcome-recap worker` elsewhere")
    .action(async (options: { worker: boolean }) => {
      const config = loadConfig();
      const { createRuntime, serveHttp, startWorker } = await loadMain();
      const { seedDemoIfEmpty } = await import("./demo/demo-seed.js");
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
      const config = loadConfig();
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
      const config = loadConfig();
      const { prepareDatabase } = await loadMain();
      const { embedded } = await prepareDatabase(config, commandLogger(config));
      await embedded?.stop();
      console.log("Migrations are up to date.");
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
      const created = await withRuntime((runtime) => createTenant(runtime.db, runtime.queue, input));
      console.log(`Created tenant ${created.slug} (${created.id}).`);
    });

  const key = program.command("key").description("manage API keys");
  key
    .command("create")
    .description("create an API key; the secret is printed once")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--scopes <list>", `comma-separated: ${SCOPES.join(", ")}`, parseScopes)
    .option("--name <name>", "what the key is for", "CLI key")
    .action(async (options: { tenant: string; scopes: Scope[]; name: string }) => {
      const { key: secret, record } = await withRuntime(async (runtime) =>
        createApiKey(runtime.db, {
          tenantId: (await tenantBySlug(runtime, options.tenant)).id,
          name: options.name,
          scopes: options.scopes,
        }),
      );
      console.log(`Created key ${record.prefix} (${record.id}) with scopes ${record.scopes.join(", ")}.`);
      console.log(`Secret (shown once): ${secret}`);
    });
  key
    .command("revoke")
    .description("revoke an API key by id")
    .argument("<id>", "the key's id")
    .action(async (id: string) => {
      if (!z.uuid().safeParse(id).success) throw new UsageError(`"${id}" is not a key id (a UUID)`);
      const record = await withRuntime((runtime) => revokeApiKey(runtime.db, undefined, id));
      console.log(`Revoked key ${record.prefix} (${record.id}).`);
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
        const password = options.passwordStdin ? readFileSync(0, "utf8").replace(/\r?\n$/, "") : generatePassword();
        if (password.length < MIN_PASSWORD_LENGTH) {
          throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
        }
        const created = await withRuntime(async (runtime) =>
          createUser(runtime.db, {
            tenantId: (await tenantBySlug(runtime, options.tenant)).id,
            email: options.email,
            name: options.name ?? options.email.split("@")[0] ?? options.email,
            role: options.role,
            password,
          }),
        );
        console.log(`Created ${created.role} ${created.email} (${created.id}).`);
        if (!options.passwordStdin) console.log(`Password (shown once): ${password}`);
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
        const { renderFromUsageFile } = await import("./cli/render-command.js");
        const { UsageFileError } = await import("./usage/usage-file.js");
        try {
          console.log((await renderFromUsageFile(options)).summary);
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
      const { renderGallery } = await import("./cli/gallery-command.js");
      const { UsageFileError } = await import("./usage/usage-file.js");
      try {
        const result = await renderGallery({
          out: options.out,
          inputs: options.input,
          locales: options.locale,
          themes: options.theme,
          longest: options.input === undefined,
        });
        console.log(result.summary);
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

async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EXIT.config;
    }
    if (error instanceof EmbeddedPostgresError) {
      // Already in plain words, with the ways out: a stack trace would only bury them.
      console.error(`error: ${error.message}`);
      return EXIT.failed;
    }
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof AppError) {
      console.error(`error: ${error.message}`);
      // A taken slug or e-mail, an unknown key: the command was asked for something it cannot do.
      return ["conflict", "not_found"].includes(error.code) ? EXIT.usage : EXIT.failed;
    }
    console.error(`error: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

const code = await runCli(process.argv);
// serve and worker keep running until a signal; every other command exits with its code now.
if (code !== 0 || !["serve", "worker"].includes(process.argv[2] ?? "")) process.exit(code);
