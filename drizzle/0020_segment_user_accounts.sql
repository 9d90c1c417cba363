CREATE TABLE "segment_user_accounts" (
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"account_external_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segment_user_accounts_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "segment_user_accounts" ADD CONSTRAINT "segment_user_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;