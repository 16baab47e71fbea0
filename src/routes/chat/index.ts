import { rateLimit } from "../../ratelimit/middleware.js";
import { newRouter } from "../common.js";
import * as create from "./create.js";

/** OpenAI's `POST /v1/chat/completions`, counted against the key's rate limit like /v1/ask. */
export function chatRoutes() {
  const app = newRouter();
  app.use("/chat/completions", rateLimit);
  create.register(app);
  return app;
}
