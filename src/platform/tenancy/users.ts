import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import type { DbExecutor } from "../db/client.js";
import { conflict } from "../errors.js";
import { tenants, type UserRole, users } from "./tenancy.schema.js";

export type User = typeof users.$inferSelect;
export type PublicUser = Omit<User, "passwordHash">;

export const MIN_PASSWORD_LENGTH = 12;

export function toPublicUser({ passwordHash: _hidden, ...user }: User): PublicUser {
  return user;
}

export async function createUser(
  db: DbExecutor,
  input: { tenantId: string; email: string; name: string; role: UserRole; password: string },
): Promise<PublicUser> {
  const [user] = await db
    .insert(users)
    .values({
      tenantId: input.tenantId,
      email: input.email.trim(),
      name: input.name.trim(),
      role: input.role,
      passwordHash: await hashPassword(input.password),
    })
    .onConflictDoNothing()
    .returning();
  if (!user) throw conflict(`A user with e-mail ${input.email} already exists.`);
  return toPublicUser(user);
}

export async function listUsers(db: DbExecutor, tenantId: string): Promise<PublicUser[]> {
  const rows = await db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(desc(users.createdAt));
  return rows.map(toPublicUser);
}

/** A workspace a person may choose at sign-in: the tenant's slug and name. */
export type Workspace = { slug: string; name: string };

export type SignInCheck =
  | { outcome: "refused" }
  | { outcome: "signed_in"; user: User }
  /** The password is right for this e-mail in several tenants: the person chooses one. */
  | { outcome: "choose_workspace"; workspaces: Workspace[] };

/**
 * Checks an e-mail and password against every enabled user with that address (an address is
 * unique per tenant, so it may belong to several), or only against the user of the given
 * workspace (tenant slug). One match signs in; several ask which workspace, which only someone who
 * knows the password for each of them gets to see. An unknown e-mail costs as much time as a wrong
 * password, and the checks run side by side, so the number of tenants is not told by the time.
 */
export async function checkSignIn(
  db: DbExecutor,
  input: { email: string; password: string; workspace?: string | undefined },
): Promise<SignInCheck> {
  const candidates = await db
    .select({ user: users, slug: tenants.slug, name: tenants.name })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(
      and(
        sql`lower(${users.email}) = ${input.email.trim().toLowerCase()}`,
        isNull(users.disabledAt),
        input.workspace ? eq(tenants.slug, input.workspace) : undefined,
      ),
    )
    .orderBy(tenants.name, tenants.slug);
  dummyHash ??= hashPassword(crypto.randomUUID());
  if (candidates.length === 0) {
    await verifyPassword(input.password, await dummyHash);
    return { outcome: "refused" };
  }
  const verdicts = await Promise.all(candidates.map((c) => verifyPassword(input.password, c.user.passwordHash)));
  const matches = candidates.filter((_, index) => verdicts[index]);
  const [only] = matches;
  if (!only) return { outcome: "refused" };
  if (matches.length === 1) return { outcome: "signed_in", user: only.user };
  return { outcome: "choose_workspace", workspaces: matches.map(({ slug, name }) => ({ slug, name })) };
}

/** The one enabled user with this e-mail and password, or undefined (also when several tenants match). */
export async function verifyCredentials(db: DbExecutor, email: string, password: string): Promise<User | undefined> {
  const check = await checkSignIn(db, { email, password });
  return check.outcome === "signed_in" ? check.user : undefined;
}

// A real hash of a random password, made on first use, so unknown e-mails take the same scrypt time.
let dummyHash: Promise<string> | undefined;
