/** Names for the generated schemas the client hands back, so callers never spell `components[...]`. */
import type { components } from "./schema.generated.js";

type S = components["schemas"];

export type KnowledgeBase = S["KnowledgeBase"];
export type CreateKnowledgeBase = S["CreateKnowledgeBase"];
export type UpdateKnowledgeBase = S["UpdateKnowledgeBase"];
export type Document = S["Document"];
export type DocumentUploadAccepted = S["DocumentUploadAccepted"];
export type SearchRequest = S["SearchRequest"];
export type SearchResult = S["SearchResult"];
export type AskRequest = Omit<S["AskRequest"], "stream" | "mode"> & Partial<Pick<S["AskRequest"], "mode">>;
export type AskResult = S["AskResult"];
export type AskSource = S["AskSource"];
// Registered as nullable where answers embed them; the events always carry one.
export type AskUsage = NonNullable<S["AskUsage"]>;
export type AskError = NonNullable<S["AskError"]>;
export type AskDone = S["AskDone"];
export type Conversation = S["Conversation"];
export type CreateConversation = S["CreateConversation"];
export type ConversationHistory = S["ConversationHistory"];
export type SendMessage = Omit<S["SendMessage"], "stream">;
export type UsageReport = S["UsageReport"];
export type ApiKey = S["ApiKey"];
export type CreateApiKey = S["CreateApiKey"];
export type Problem = S["Problem"];

/** The events of an answer, as /v1/ask and conversation messages stream them. */
export type AskEvent =
  | { type: "sources"; data: { sources: AskSource[] } }
  | { type: "delta"; data: { model: string; text: string } }
  | { type: "usage"; data: AskUsage }
  | { type: "error"; data: AskError }
  | { type: "done"; data: AskDone };

/** A document's ingestion progress, as /v1/documents/{id}/events streams it. */
export type DocumentEvent =
  | { type: "progress" | "ready" | "failed"; data: Document }
  | { type: "deleted"; data: { id: string } };

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
