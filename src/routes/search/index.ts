import { rateLimit } from "../../ratelimit/middleware.js";
import { newRouter } from "../common.js";
import * as search from "./search.js";

export function searchRoutes() {
  const app = newRouter();
  app.use("/search", rateLimit);
  search.register(app);
  return app;
}
