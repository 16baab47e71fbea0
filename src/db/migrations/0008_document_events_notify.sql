-- Document progress is pushed, not polled: every change to a document or its versions notifies the
-- channel with the document id (delivered at commit, to every API process that LISTENs).
CREATE OR REPLACE FUNCTION notify_document_event() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'document_versions' THEN
    PERFORM pg_notify('aihub_document_events', NEW.document_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('aihub_document_events', OLD.id);
  ELSE
    PERFORM pg_notify('aihub_document_events', NEW.id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER document_versions_notify AFTER INSERT OR UPDATE ON document_versions
  FOR EACH ROW EXECUTE FUNCTION notify_document_event();
--> statement-breakpoint
CREATE TRIGGER documents_notify AFTER UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION notify_document_event();
