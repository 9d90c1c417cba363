CREATE TABLE "recaps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"period" text NOT NULL,
	"kind" text NOT NULL,
	"locale" text NOT NULL,
	"state" text NOT NULL,
	"digest" jsonb NOT NULL,
	"origin" jsonb NOT NULL,
	"state_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recaps" ADD CONSTRAINT "recaps_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recaps" ADD CONSTRAINT "recaps_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recaps_quarterly_once_idx" ON "recaps" USING btree ("tenant_id","account_id","period") WHERE "recaps"."kind" = 'quarterly';--> statement-breakpoint
CREATE INDEX "recaps_tenant_state_idx" ON "recaps" USING btree ("tenant_id","state","created_at");--> statement-breakpoint
CREATE INDEX "recaps_account_idx" ON "recaps" USING btree ("account_id","created_at");