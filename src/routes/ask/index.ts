import { rateLimit } from "../../ratelimit/middleware.js";
import { newRouter } from "../common.js";
import * as ask from "./ask.js";

export function askRoutes() {
  const app = newRouter();
  app.use("/ask", rateLimit);
  ask.register(app);
  return app;
}
