CREATE TABLE "rate_limit_state" (
	"key" text PRIMARY KEY NOT NULL,
	"tat" timestamp (6) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "erased_recap_tallies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"locale" text NOT NULL,
	"variant" text NOT NULL,
	"kind" text NOT NULL,
	"segment" text,
	"channel" text,
	"generated_at" timestamp with time zone NOT NULL,
	"approved_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"shared_at" timestamp with time zone,
	"first_signup_at" timestamp with time zone,
	"human_clicks" integer NOT NULL,
	"bot_clicks" integer NOT NULL,
	"visitors" integer NOT NULL,
	"share_starts" integer NOT NULL,
	"signups" integer NOT NULL,
	"activations" integer NOT NULL,
	"paid" integer NOT NULL,
	"revenue" numeric(18, 4) NOT NULL,
	"llm_cost_usd" numeric(18, 10) NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "loop_economics" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "erased_recap_tallies" ADD CONSTRAINT "erased_recap_tallies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erased_recap_tallies_tenant_idx" ON "erased_recap_tallies" USING btree ("tenant_id","generated_at");