CREATE TABLE "moment_firings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"detail" text NOT NULL,
	"outcome" text NOT NULL,
	"recap_id" uuid
);
--> statement-breakpoint
CREATE TABLE "moment_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"metric_key" text,
	"event" text,
	"property" text,
	"threshold" double precision,
	"window_days" integer,
	"cooldown_days" integer DEFAULT 30 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "recap_schedule_day" integer;--> statement-breakpoint
ALTER TABLE "moment_firings" ADD CONSTRAINT "moment_firings_rule_id_moment_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."moment_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moment_firings" ADD CONSTRAINT "moment_firings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moment_firings" ADD CONSTRAINT "moment_firings_recap_id_recaps_id_fk" FOREIGN KEY ("recap_id") REFERENCES "public"."recaps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moment_rules" ADD CONSTRAINT "moment_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "moment_firings_rule_account_idx" ON "moment_firings" USING btree ("rule_id","account_id","fired_at");--> statement-breakpoint
CREATE INDEX "moment_rules_tenant_idx" ON "moment_rules" USING btree ("tenant_id");