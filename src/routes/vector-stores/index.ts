import { rateLimit } from "../../ratelimit/middleware.js";
import { attachFile } from "../../services/vector-stores/files.js";
import { newRouter } from "../common.js";
import * as batches from "./batches.js";
import * as files from "./files.js";
import * as search from "./search.js";
import * as stores from "./stores.js";

/** OpenAI's vector stores: a vector store is a knowledge base, its files are documents. */
export function vectorStoreRoutes() {
  const app = newRouter();
  app.use("/vector_stores/:id/search", rateLimit);
  stores.register(app, async (ctx, kbId, fileIds) => {
    for (const fileId of fileIds) await attachFile({ ctx, input: { kbId, fileId } });
  });
  files.register(app);
  batches.register(app);
  search.register(app);
  return app;
}
