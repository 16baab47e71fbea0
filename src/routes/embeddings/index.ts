import { rateLimit } from "../../ratelimit/middleware.js";
import { newRouter } from "../common.js";
import * as create from "./create.js";

export function embeddingRoutes() {
  const app = newRouter();
  app.use("/embeddings", rateLimit);
  create.register(app);
  return app;
}
