CREATE TABLE "document_texts" (
	"version_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"text" text NOT NULL,
	"pages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "content_type" text;--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "document_texts" ADD CONSTRAINT "document_texts_version_id_document_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE cascade ON UPDATE no action;