import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { randomToken, sha256 } from "../auth/hashing.js";
import type { Scope } from "../auth/scopes.js";
import type { DbExecutor } from "../db/client.js";
import { notFound } from "../errors.js";
import { apiKeys } from "./tenancy.schema.js";

export type ApiKeyRecord = typeof apiKeys.$inferSelect;

/** Keys look like `ork_3fa9c2d1_<43 random characters>`; the part before the last `_` is the prefix. */
const KEY_PATTERN = /^(ork_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = `ork_${randomBytes(4).toString("hex")}`;
  return { key: `${prefix}_${randomToken(32)}`, prefix };
}

export async function createApiKey(
  db: DbExecutor,
  input: { tenantId: string; name: string; scopes: Scope[] },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const { key, prefix } = generateApiKey();
  const [record] = await db
    .insert(apiKeys)
    .values({
      tenantId: input.tenantId,
      name: input.name,
      prefix,
      keyHash: sha256(key),
      scopes: [...new Set(input.scopes)].sort(),
    })
    .returning();
  if (!record) throw new Error("api key insert returned no row");
  return { key, record };
}

export function listApiKeys(db: DbExecutor, tenantId: string): Promise<ApiKeyRecord[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
}

export async function getApiKey(db: DbExecutor, tenantId: string, id: string): Promise<ApiKeyRecord> {
  const [record] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)));
  if (!record) throw notFound("The API key does not exist or belongs to another tenant.");
  return record;
}

/** Revokes a key; revoking twice keeps the first revocation time. */
export async function revokeApiKey(db: DbExecutor, tenantId: string | undefined, id: string): Promise<ApiKeyRecord> {
  const [record] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.id, id), tenantId ? eq(apiKeys.tenantId, tenantId) : undefined))
    .returning();
  if (!record) {
    throw notFound(tenantId ? "The API key does not exist or belongs to another tenant." : `No API key ${id}.`);
  }
  return record;
}

/** The active key for a presented secret, or undefined for unknown, malformed or revoked keys. */
export async function findActiveApiKey(db: DbExecutor, presented: string): Promise<ApiKeyRecord | undefined> {
  if (!KEY_PATTERN.test(presented)) return undefined;
  const [record] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sha256(presented)), isNull(apiKeys.revokedAt)));
  return record;
}

/** Records use at most once a minute per key, so busy keys do not write on every request. */
export async function touchApiKey(db: DbExecutor, id: string, now: Date): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - 60_000)))),
    );
}
