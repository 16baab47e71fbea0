ALTER TABLE "audit_log" ADD COLUMN "kb_ids" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_ledger" ADD COLUMN "reported_output_tokens" integer;--> statement-breakpoint
ALTER TABLE "usage_ledger" ADD COLUMN "over_reservation_micros" bigint DEFAULT 0 NOT NULL;