CREATE TABLE "link_click_address_tallies" (
	"code" text NOT NULL,
	"address_hash" text NOT NULL,
	"hour_bucket" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"visitors" integer NOT NULL,
	CONSTRAINT "link_click_address_tallies_code_address_hash_hour_bucket_pk" PRIMARY KEY("code","address_hash","hour_bucket")
);
--> statement-breakpoint
ALTER TABLE "link_click_address_tallies" ADD CONSTRAINT "link_click_address_tallies_code_share_links_code_fk" FOREIGN KEY ("code") REFERENCES "public"."share_links"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_click_address_tallies" ADD CONSTRAINT "link_click_address_tallies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_click_address_tallies_hour_idx" ON "link_click_address_tallies" USING btree ("hour_bucket");