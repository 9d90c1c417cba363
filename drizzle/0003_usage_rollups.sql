CREATE TABLE "usage_distinct_values" (
	"account_id" uuid NOT NULL,
	"event" text NOT NULL,
	"property" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "usage_distinct_values_account_id_event_property_bucket_value_pk" PRIMARY KEY("account_id","event","property","bucket","value")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"account_id" uuid NOT NULL,
	"event" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"max" double precision NOT NULL,
	CONSTRAINT "usage_rollups_account_id_event_bucket_pk" PRIMARY KEY("account_id","event","bucket")
);
--> statement-breakpoint
ALTER TABLE "usage_distinct_values" ADD CONSTRAINT "usage_distinct_values_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD CONSTRAINT "usage_rollups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_rollups_tenant_event_bucket_idx" ON "usage_rollups" USING btree ("tenant_id","event","bucket");