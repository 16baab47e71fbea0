ALTER TABLE "knowledge_bases" ADD COLUMN "embedder" text;--> statement-breakpoint
ALTER TABLE "knowledge_bases" ADD COLUMN "embedder_dimension" integer;