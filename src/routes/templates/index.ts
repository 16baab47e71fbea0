import { newRouter } from "../common.js";
import * as apply from "./apply.js";
import * as get from "./get.js";
import * as list from "./list.js";
import * as recommend from "./recommend.js";

export function templateRoutes() {
  const app = newRouter();
  // Before "/templates/{id}" routes so "recommend" is never read as an id.
  recommend.register(app);
  list.register(app);
  get.register(app);
  apply.register(app);
  return app;
}
