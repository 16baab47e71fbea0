CREATE TABLE "conversation_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"embed_id" text,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"query" text,
	"rewrite_method" text,
	"model" text,
	"status" text,
	"sources" jsonb,
	"citations" integer[],
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"feedback" integer,
	"feedback_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_retention" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"days" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"key_id" text,
	"embed_id" text,
	"visitor_id" text,
	"access_hash" text,
	"kb_ids" text[] NOT NULL,
	"models" text[] DEFAULT '{}' NOT NULL,
	"prompt_template" text,
	"message_count" integer DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_message_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "embeds" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"kb_ids" text[] NOT NULL,
	"models" text[] DEFAULT '{}' NOT NULL,
	"prompt_template" text DEFAULT 'support-bot' NOT NULL,
	"allowed_origins" text[] NOT NULL,
	"greeting" text DEFAULT '' NOT NULL,
	"starter_questions" text[] DEFAULT '{}' NOT NULL,
	"theme" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"default_language" text,
	"max_messages_per_conversation" integer,
	"max_conversations_per_visitor_per_day" integer,
	"max_messages_per_day" integer,
	"monthly_budget_micros" bigint,
	"signed_visitors_only" boolean DEFAULT false NOT NULL,
	"signing_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_retention" ADD CONSTRAINT "conversation_retention_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_embed_id_embeds_id_fk" FOREIGN KEY ("embed_id") REFERENCES "embeds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "embeds" ADD CONSTRAINT "embeds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conv_messages_conv_idx" ON "conversation_messages" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE INDEX "conv_messages_embed_idx" ON "conversation_messages" USING btree ("embed_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_tenant_idx" ON "conversations" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "conversations_embed_idx" ON "conversations" USING btree ("embed_id","visitor_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_last_idx" ON "conversations" USING btree ("tenant_id","last_message_at");--> statement-breakpoint
CREATE INDEX "embeds_tenant_idx" ON "embeds" USING btree ("tenant_id","id");