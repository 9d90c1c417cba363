ALTER TABLE "recaps" ADD COLUMN "copy_alternatives" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "recaps" ADD COLUMN "customer_choices" jsonb DEFAULT '{}'::jsonb NOT NULL;