CREATE TABLE "llm_usage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"recap_id" uuid,
	"model" text NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"cost_usd" numeric(18, 10) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "variant_policy" text DEFAULT 'split' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "monthly_token_budget" integer;--> statement-breakpoint
-- Recaps made before variants existed were written in the rational voice: they are variant A.
ALTER TABLE "recaps" ADD COLUMN "variant" text DEFAULT 'A' NOT NULL;--> statement-breakpoint
ALTER TABLE "recaps" ALTER COLUMN "variant" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "recaps" ADD COLUMN "copy" jsonb;--> statement-breakpoint
ALTER TABLE "recaps" ADD COLUMN "fact_check" jsonb;--> statement-breakpoint
ALTER TABLE "recaps" ADD COLUMN "flagged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "recaps" ADD COLUMN "drafting" jsonb;--> statement-breakpoint
ALTER TABLE "llm_usage" ADD CONSTRAINT "llm_usage_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "llm_usage_tenant_month_idx" ON "llm_usage" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "recaps_tenant_flagged_idx" ON "recaps" USING btree ("tenant_id","flagged","state");