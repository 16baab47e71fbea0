export { type Answer, AskStream, type FinalAnswers } from "./ask-stream.js";
export { AiHub, type UploadOptions, type UploadSource } from "./client.js";
export { AiHubConnectionError, AiHubError } from "./errors.js";
export type { Body, ClientOptions, Ok, Query } from "./http.js";
export type { components, paths } from "./schema.generated.js";
export type * from "./types.js";
