CREATE TABLE "org_plugins" (
	"tenant_id" text NOT NULL,
	"plugin_id" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_plugins_tenant_id_plugin_id_pk" PRIMARY KEY("tenant_id","plugin_id")
);
--> statement-breakpoint
CREATE TABLE "plugin_versions" (
	"plugin_id" text NOT NULL,
	"version" text NOT NULL,
	"kind" text NOT NULL,
	"manifest" jsonb NOT NULL,
	"sha256" text NOT NULL,
	"signed_by" text,
	"source" text NOT NULL,
	"installed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plugin_versions_plugin_id_version_pk" PRIMARY KEY("plugin_id","version")
);
--> statement-breakpoint
CREATE TABLE "plugins" (
	"id" text PRIMARY KEY NOT NULL,
	"active_version" text NOT NULL,
	"previous_version" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
