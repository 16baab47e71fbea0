import { boolean, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Plugins (issue 19). Each installed version is a row and a folder (PLUGINS_DIR/<id>@<version>);
 * `plugins` says which version runs, and which ran before (rollback goes back to it).
 */
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const pluginVersions = pgTable(
  "plugin_versions",
  {
    pluginId: text("plugin_id").notNull(),
    version: text("version").notNull(),
    kind: text("kind").notNull(),
    manifest: jsonb("manifest").$type<Record<string, unknown>>().notNull(),
    /** sha256 of the tarball (or of the folder's files, for a folder install). */
    sha256: text("sha256").notNull(),
    /** The trusted key that signed the tarball, when it was signed. */
    signedBy: text("signed_by"),
    source: text("source").notNull(),
    installedAt: ts("installed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pluginId, t.version] })],
);

export const plugins = pgTable("plugins", {
  id: text("id").primaryKey(),
  activeVersion: text("active_version").notNull(),
  previousVersion: text("previous_version"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** A plugin enabled for an organization, with its configuration; secrets are AES-GCM encrypted. */
export const orgPlugins = pgTable(
  "org_plugins",
  {
    tenantId: text("tenant_id").notNull(),
    pluginId: text("plugin_id").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    /** base64 of an encrypted JSON object (src/blobs/encryption.ts layout), or null. */
    secrets: text("secrets"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.pluginId] })],
);
