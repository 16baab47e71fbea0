CREATE TABLE "org_billing" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"past_due_since" timestamp with time zone,
	"wallet_micros" bigint DEFAULT 0 NOT NULL,
	"stripe_customer_id" text,
	"stripe_subscription_id" text,
	"subscription_event_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_events" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"type" text NOT NULL,
	"tenant_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"purpose" text NOT NULL,
	"plan_id" text,
	"amount_micros" bigint DEFAULT 0 NOT NULL,
	"external_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "redemption_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"batch_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"amount_micros" bigint NOT NULL,
	"expires_at" timestamp with time zone,
	"redeemed_tenant_id" text,
	"redeemed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statements" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"number" text NOT NULL,
	"month" text NOT NULL,
	"body" jsonb NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_counters" (
	"tenant_id" text NOT NULL,
	"month" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_counters_tenant_id_month_pk" PRIMARY KEY("tenant_id","month")
);
--> statement-breakpoint
CREATE TABLE "wallet_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"amount_micros" bigint NOT NULL,
	"ref" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "budget_reservations" ADD COLUMN "wallet" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_ledger" ADD COLUMN "charge_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "org_billing" ADD CONSTRAINT "org_billing_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_tenant_idx" ON "payments" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "payments_external_idx" ON "payments" USING btree ("external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redemption_codes_hash_idx" ON "redemption_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "redemption_codes_batch_idx" ON "redemption_codes" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "statements_number_idx" ON "statements" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "statements_org_month_idx" ON "statements" USING btree ("tenant_id","month");--> statement-breakpoint
CREATE INDEX "wallet_entries_tenant_idx" ON "wallet_entries" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_entries_ref_idx" ON "wallet_entries" USING btree ("ref");--> statement-breakpoint
-- Rows written before customer prices existed were charged at cost (markup 1.0).
UPDATE "usage_ledger" SET "charge_micros" = "cost_micros";
--> statement-breakpoint
-- A closed statement is a document the customer may have filed: never edited or deleted, at the database.
CREATE OR REPLACE FUNCTION statements_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'statements are immutable once closed';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER statements_no_update BEFORE UPDATE OR DELETE ON statements
  FOR EACH ROW EXECUTE FUNCTION statements_immutable();
