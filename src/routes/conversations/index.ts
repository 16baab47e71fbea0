import { rateLimit } from "../../ratelimit/middleware.js";
import { newRouter } from "../common.js";
import * as create from "./create.js";
import * as get from "./get.js";
import * as retention from "./retention.js";
import * as send from "./send.js";

export function conversationRoutes() {
  const app = newRouter();
  app.use("/conversations/*", rateLimit);
  app.use("/conversations", rateLimit);
  // Before /conversations/{id}, which would otherwise take "retention" for an id.
  retention.register(app);
  create.register(app);
  get.register(app);
  send.register(app);
  return app;
}
