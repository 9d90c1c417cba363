ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_tenant_id_key_pk";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "caller" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_record_idx" ON "idempotency_keys" USING btree ("tenant_id","caller","key");--> statement-breakpoint
-- custom:begin
-- Records from before callers were recorded belong to no caller and may hold a plaintext secret
-- (a new API key or webhook secret): delete them. They were replay caches for at most 24 hours.
DELETE FROM "idempotency_keys" WHERE "caller" = '';
-- custom:end
