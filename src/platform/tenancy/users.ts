import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import type { DbExecutor } from "../db/client.js";
import { conflict } from "../http/problem.js";
import { type UserRole, users } from "./tenancy.schema.js";

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

/** The enabled user with this e-mail and password, or undefined; a wrong e-mail costs as much time as a wrong password. */
export async function verifyCredentials(db: DbExecutor, email: string, password: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`, isNull(users.disabledAt)));
  dummyHash ??= hashPassword(crypto.randomUUID());
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  return ok && user ? user : undefined;
}

// A real hash of a random password, made on first use, so unknown e-mails take the same scrypt time.
let dummyHash: Promise<string> | undefined;
