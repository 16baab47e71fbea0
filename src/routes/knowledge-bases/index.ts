import { newRouter } from "../common.js";
import * as create from "./create.js";
import * as remove from "./delete.js";
import * as get from "./get.js";
import * as list from "./list.js";
import * as update from "./update.js";

export function knowledgeBaseRoutes() {
  const app = newRouter();
  create.register(app);
  list.register(app);
  get.register(app);
  update.register(app);
  remove.register(app);
  return app;
}
