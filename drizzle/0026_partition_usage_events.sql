-- custom:begin
-- usage_events becomes a table partitioned by month of occurred_at (UTC months, one partition
-- each, named usage_events_YYYY_MM), with a default partition that keeps any event whose month has
-- no partition yet. The job usage.partitions (src/usage/partitions.ts) creates months ahead and
-- drops those past USAGE_RETENTION_MONTHS. Existing rows move over here, in this transaction.
ALTER TABLE "usage_events" RENAME TO "usage_events_unpartitioned";--> statement-breakpoint
ALTER INDEX "usage_events_dedupe_idx" RENAME TO "usage_events_unpartitioned_dedupe_idx";--> statement-breakpoint
ALTER INDEX "usage_events_id_idx" RENAME TO "usage_events_unpartitioned_id_idx";--> statement-breakpoint
ALTER INDEX "usage_events_account_event_time_idx" RENAME TO "usage_events_unpartitioned_account_event_time_idx";--> statement-breakpoint
ALTER TABLE "usage_events_unpartitioned" RENAME CONSTRAINT "usage_events_account_id_accounts_id_fk" TO "usage_events_unpartitioned_account_id_fk";--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" bigint DEFAULT nextval('usage_events_id_seq'::regclass) NOT NULL,
	"tenant_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"event" text NOT NULL,
	"quantity" double precision DEFAULT 1 NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"event_id" text,
	"properties" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
) PARTITION BY RANGE ("occurred_at");--> statement-breakpoint
ALTER SEQUENCE "usage_events_id_seq" OWNED BY "usage_events"."id";--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_id_idx" ON "usage_events" USING btree ("id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_dedupe_idx" ON "usage_events" USING btree ("tenant_id","event_id","occurred_at") WHERE "event_id" is not null;--> statement-breakpoint
CREATE INDEX "usage_events_account_event_time_idx" ON "usage_events" USING btree ("account_id","event","occurred_at");--> statement-breakpoint
CREATE TABLE "usage_events_default" PARTITION OF "usage_events" DEFAULT;--> statement-breakpoint
DO $$
DECLARE
  month date;
  stop date := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months')::date;
BEGIN
  SELECT date_trunc('month', coalesce(min(occurred_at), now()) AT TIME ZONE 'UTC')::date INTO month
  FROM "usage_events_unpartitioned";
  -- From the oldest event's month through two months ahead (ingestion takes events up to 5 years
  -- old or ahead; months outside this range land in the default partition until the job makes them).
  WHILE month < stop LOOP
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF "usage_events" FOR VALUES FROM (%L) TO (%L)',
      'usage_events_' || to_char(month, 'YYYY_MM'),
      month::timestamp AT TIME ZONE 'UTC',
      (month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
    );
    month := (month + interval '1 month')::date;
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "usage_events" ("id", "tenant_id", "account_id", "event", "quantity", "occurred_at", "event_id", "properties", "received_at")
SELECT "id", "tenant_id", "account_id", "event", "quantity", "occurred_at", "event_id", "properties", "received_at"
FROM "usage_events_unpartitioned";--> statement-breakpoint
DROP TABLE "usage_events_unpartitioned";--> statement-breakpoint
-- The daily distinct values (0022) start from what the 15-minute ones already hold.
INSERT INTO "usage_daily_distinct_values" ("account_id", "event", "property", "day", "value")
SELECT DISTINCT "account_id", "event", "property", ("bucket" AT TIME ZONE 'UTC')::date, "value"
FROM "usage_distinct_values"
ON CONFLICT DO NOTHING;
-- custom:end
