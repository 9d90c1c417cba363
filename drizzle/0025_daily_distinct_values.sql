CREATE TABLE "usage_daily_distinct_values" (
	"account_id" uuid NOT NULL,
	"event" text NOT NULL,
	"property" text NOT NULL,
	"day" date NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "usage_daily_distinct_values_account_id_event_property_day_value_pk" PRIMARY KEY("account_id","event","property","day","value")
);
--> statement-breakpoint
DROP INDEX "usage_events_dedupe_idx";--> statement-breakpoint
/* 
    Unfortunately in current drizzle-kit version we can't automatically get name for primary key.
    We are working on making it available!

    Meanwhile you can:
        1. Check pk name in your database, by running
            SELECT constraint_name FROM information_schema.table_constraints
            WHERE table_schema = 'public'
                AND table_name = 'usage_events'
                AND constraint_type = 'PRIMARY KEY';
        2. Uncomment code below and paste pk name manually
        
    Hope to release this update as soon as possible
*/

-- ALTER TABLE "usage_events" DROP CONSTRAINT "<constraint_name>";--> statement-breakpoint
ALTER TABLE "usage_daily_distinct_values" ADD CONSTRAINT "usage_daily_distinct_values_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_id_idx" ON "usage_events" USING btree ("id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_dedupe_idx" ON "usage_events" USING btree ("tenant_id","event_id","occurred_at") WHERE "usage_events"."event_id" is not null;