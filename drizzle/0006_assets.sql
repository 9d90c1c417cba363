CREATE TABLE "assets" (
	"key" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"content_type" text NOT NULL,
	"storage" text DEFAULT 'postgres' NOT NULL,
	"bytes" "bytea",
	"byte_size" integer NOT NULL,
	"width" integer,
	"height" integer,
	"render_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recap_assets" (
	"recap_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"asset_key" text NOT NULL,
	"recap_version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recap_assets_recap_id_kind_pk" PRIMARY KEY("recap_id","kind")
);
--> statement-breakpoint
ALTER TABLE "recaps" ADD COLUMN "hidden_fact_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recap_assets" ADD CONSTRAINT "recap_assets_recap_id_recaps_id_fk" FOREIGN KEY ("recap_id") REFERENCES "public"."recaps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recap_assets" ADD CONSTRAINT "recap_assets_asset_key_assets_key_fk" FOREIGN KEY ("asset_key") REFERENCES "public"."assets"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- PNG and PDF bytes are compressed already: store them out of line without trying pglz again.
ALTER TABLE "assets" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;--> statement-breakpoint
CREATE INDEX "assets_tenant_idx" ON "assets" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "recap_assets_key_idx" ON "recap_assets" USING btree ("asset_key");