/**
 * The drizzle schema, one file per area (this index is what the app and drizzle-kit import). One
 * schema for PGlite and PostgreSQL. Ids are typed prefixes with a time-ordered body (see ids.ts), so
 * ordering by id is ordering by creation and serves as a stable paging cursor. Money is integer
 * micro-dollars (bigint), timestamps are UTC (timestamptz).
 */
export * from "./audit-schema.js";
export * from "./billing-schema.js";
export * from "./connectors-schema.js";
export * from "./conversations-schema.js";
export * from "./documents-schema.js";
export * from "./evals-schema.js";
export * from "./openai-files-schema.js";
export * from "./ops-schema.js";
export * from "./people-schema.js";
export * from "./plugins-schema.js";
export * from "./tenancy-schema.js";
export * from "./usage-schema.js";
