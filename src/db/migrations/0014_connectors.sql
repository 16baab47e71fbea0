CREATE TABLE "connector_bindings" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kb_id" text NOT NULL,
	"plugin_id" text NOT NULL,
	"name" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" text,
	"interval_seconds" integer,
	"next_run_at" timestamp with time zone,
	"state" text DEFAULT 'idle' NOT NULL,
	"lease_until" timestamp with time zone,
	"cursor" text,
	"last_run" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connector_items" (
	"binding_id" text NOT NULL,
	"item_id" text NOT NULL,
	"version" text NOT NULL,
	"document_id" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connector_items_binding_id_item_id_pk" PRIMARY KEY("binding_id","item_id")
);
--> statement-breakpoint
ALTER TABLE "connector_bindings" ADD CONSTRAINT "connector_bindings_kb_id_knowledge_bases_id_fk" FOREIGN KEY ("kb_id") REFERENCES "knowledge_bases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_items" ADD CONSTRAINT "connector_items_binding_id_connector_bindings_id_fk" FOREIGN KEY ("binding_id") REFERENCES "connector_bindings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connector_bindings_kb_idx" ON "connector_bindings" USING btree ("tenant_id","kb_id","id");--> statement-breakpoint
CREATE INDEX "connector_bindings_due_idx" ON "connector_bindings" USING btree ("next_run_at");