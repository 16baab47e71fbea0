import { newRouter } from "../common.js";
import { preflight } from "./guard.js";
import * as routes from "./routes.js";

/** The widget's endpoints: no API key; the embed's origin list and visitor tokens decide instead. */
export function publicRoutes() {
  const app = newRouter();
  app.options("/public/embeds/:embedId", (c) => preflight(c, c.req.param("embedId")));
  app.options("/public/embeds/:embedId/*", (c) => preflight(c, c.req.param("embedId")));
  routes.register(app);
  return app;
}
