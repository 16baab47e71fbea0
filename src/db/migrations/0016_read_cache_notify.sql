-- API processes cache what every request reads, and trust the cache only while they LISTEN to the
-- channel its rows' triggers notify (src/db/notified-cache.ts): a change notifies at commit, and
-- every process drops its cache. One function for every such trigger: the channel is the trigger's
-- argument. Statement-level: one notification per statement, however many rows (a tenant's deletion
-- cascading to its keys included).
CREATE OR REPLACE FUNCTION notify_cache_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(TG_ARGV[0], TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- aihub_auth_changed: what decides what an API key may do (its row, its creator, the creator's
-- membership and suspension, the organization's suspension).
CREATE TRIGGER api_keys_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_changed('aihub_auth_changed');
--> statement-breakpoint
CREATE TRIGGER key_creators_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON key_creators
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_changed('aihub_auth_changed');
--> statement-breakpoint
CREATE TRIGGER org_members_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_members
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_changed('aihub_auth_changed');
--> statement-breakpoint
-- Only the columns a key's rights read: sign-ins and profile edits write users all day.
CREATE TRIGGER users_auth_changed AFTER UPDATE OF suspended_at OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_changed('aihub_auth_changed');
--> statement-breakpoint
CREATE TRIGGER tenant_suspensions_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_suspensions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_changed('aihub_auth_changed');
--> statement-breakpoint
-- aihub_kb_changed: the knowledge bases a search reads, with the versions it must not search
-- (services/knowledge-bases/kb-cache.ts): a knowledge base's change, and any version added, removed
-- or changing status.
CREATE TRIGGER knowledge_bases_kb_changed AFTER UPDATE OR DELETE OR TRUNCATE ON knowledge_bases
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_changed('aihub_kb_changed');
--> statement-breakpoint
CREATE TRIGGER document_versions_kb_changed AFTER INSERT OR UPDATE OF status OR DELETE OR TRUNCATE ON document_versions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_cache_changed('aihub_kb_changed');
