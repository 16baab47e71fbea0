CREATE TABLE "import_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kb_id" text NOT NULL,
	"key_id" text,
	"source" text NOT NULL,
	"state" text NOT NULL,
	"items" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"deduplicated" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "batch_id" text;--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "batch_line" integer;--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "batch_entry" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_kb_id_knowledge_bases_id_fk" FOREIGN KEY ("kb_id") REFERENCES "knowledge_bases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_batches_kb_idx" ON "import_batches" USING btree ("tenant_id","kb_id","id");--> statement-breakpoint
CREATE INDEX "versions_batch_idx" ON "document_versions" USING btree ("batch_id","status") WHERE "document_versions"."batch_id" is not null;