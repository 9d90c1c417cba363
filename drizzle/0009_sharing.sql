CREATE TABLE "link_clicks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"recap_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"hour_bucket" timestamp with time zone NOT NULL,
	"visitor_hash" text,
	"referrer_host" text,
	"country" text,
	"is_bot" boolean NOT NULL,
	"bot_reason" text,
	"method" text NOT NULL,
	"counted" boolean NOT NULL,
	"share_started" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"code" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"recap_id" uuid,
	"channel" text NOT NULL,
	"recap_version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sharing_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_code_share_links_code_fk" FOREIGN KEY ("code") REFERENCES "public"."share_links"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_recap_id_recaps_id_fk" FOREIGN KEY ("recap_id") REFERENCES "public"."recaps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_recap_id_recaps_id_fk" FOREIGN KEY ("recap_id") REFERENCES "public"."recaps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "link_clicks_counted_once_idx" ON "link_clicks" USING btree ("code","visitor_hash","hour_bucket") WHERE "link_clicks"."counted" and "link_clicks"."visitor_hash" is not null;--> statement-breakpoint
CREATE INDEX "link_clicks_tenant_recap_idx" ON "link_clicks" USING btree ("tenant_id","recap_id","at");--> statement-breakpoint
CREATE INDEX "link_clicks_code_idx" ON "link_clicks" USING btree ("code","at");--> statement-breakpoint
CREATE INDEX "share_links_recap_idx" ON "share_links" USING btree ("tenant_id","recap_id","created_at");