import { rateLimit } from "../../ratelimit/middleware.js";
import { newRouter } from "../common.js";
import * as create from "./create.js";

/** OpenAI's `POST /v1/responses`, counted against the key's rate limit like /v1/ask. */
export function responseRoutes() {
  const app = newRouter();
  app.use("/responses", rateLimit);
  create.register(app);
  return app;
}
