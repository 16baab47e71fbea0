CREATE TABLE "request_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"status" smallint NOT NULL,
	"duration_ms" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "usage_ledger" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE INDEX "request_log_at_idx" ON "request_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "request_log_tenant_at_idx" ON "request_log" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "ledger_idempotency_idx" ON "usage_ledger" USING btree ("tenant_id","idempotency_key");