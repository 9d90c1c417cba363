ALTER TABLE "moment_firings" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "moment_firings" ADD COLUMN "attempts" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "moment_firings" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "moment_firings" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "moment_firings_rule_time_idx" ON "moment_firings" USING btree ("rule_id","fired_at","id");--> statement-breakpoint
CREATE INDEX "moment_firings_recap_idx" ON "moment_firings" USING btree ("recap_id");--> statement-breakpoint
-- custom:begin
-- Firings settled before this migration keep their cooldown: it counts from when they were settled.
UPDATE "moment_firings" SET "resolved_at" = "fired_at", "last_attempt_at" = "fired_at" WHERE "outcome" IN ('created', 'skipped_recent_milestone');
-- custom:end
