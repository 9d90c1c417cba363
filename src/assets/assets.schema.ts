import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { bytea } from "../platform/db/column-types.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import { recaps } from "../recaps/recaps.schema.js";
import type { AssetKind } from "../rendering/rendering.types.js";

/**
 * Rendered files, addressed by their content key (see asset-key.ts): a key that exists is never
 * rendered again. The bytes live here by default; `storage` names where they are when a store
 * other than PostgreSQL (S3, say) holds them, in which case `bytes` is null.
 */
export const assets = pgTable(
  "assets",
  {
    key: text("key").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind").$type<AssetKind>().notNull(),
    contentType: text("content_type").notNull(),
    storage: text("storage").notNull().default("postgres"),
    bytes: bytea("bytes"),
    byteSize: integer("byte_size").notNull(),
    width: integer("width"),
    height: integer("height"),
    renderMs: integer("render_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("assets_tenant_idx").on(table.tenantId)],
);

/** Which asset a recap shows in each kind, for the recap version it was rendered from. */
export const recapAssets = pgTable(
  "recap_assets",
  {
    recapId: uuid("recap_id")
      .notNull()
      .references(() => recaps.id, { onDelete: "cascade" }),
    kind: text("kind").$type<AssetKind>().notNull(),
    assetKey: text("asset_key")
      .notNull()
      .references(() => assets.key),
    /** The recap's version when this asset was rendered: an edit after it makes the asset stale. */
    recapVersion: integer("recap_version").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.recapId, table.kind] }), index("recap_assets_key_idx").on(table.assetKey)],
);
