CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"locale" text,
	"currency" text,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"segment" text,
	"seats" integer,
	"subscription_price" numeric(14, 2),
	"subscription_period" text,
	"consent" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"event" text NOT NULL,
	"outcome_kind" text NOT NULL,
	"unit" text NOT NULL,
	"aggregation" text NOT NULL,
	"distinct_property" text,
	"multiplier" double precision DEFAULT 1 NOT NULL,
	"hourly_rate" numeric(12, 2),
	"higher_is_better" boolean DEFAULT true NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"event" text NOT NULL,
	"quantity" double precision DEFAULT 1 NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"event_id" text,
	"properties" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_definitions" ADD CONSTRAINT "metric_definitions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_tenant_external_idx" ON "accounts" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "accounts_tenant_segment_idx" ON "accounts" USING btree ("tenant_id","segment");--> statement-breakpoint
CREATE UNIQUE INDEX "metric_definitions_tenant_key_idx" ON "metric_definitions" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_dedupe_idx" ON "usage_events" USING btree ("tenant_id","event_id") WHERE "usage_events"."event_id" is not null;--> statement-breakpoint
CREATE INDEX "usage_events_account_event_time_idx" ON "usage_events" USING btree ("account_id","event","occurred_at");