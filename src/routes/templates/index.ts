import { newRouter } from "../common.js";
import * as apply from "./apply.js";
import * as catalog from "./catalog.js";
import * as recommend from "./recommend.js";

export function templateRoutes() {
  const app = newRouter();
  // Before "/templates/{id}" routes so "recommend" is never read as an id.
  recommend.register(app);
  catalog.register(app);
  apply.register(app);
  return app;
}
