import { newRouter } from "../common.js";
import * as create from "./create.js";
import * as remove from "./delete.js";
import * as get from "./get.js";
import * as list from "./list.js";

export function keyRoutes() {
  const app = newRouter();
  create.register(app);
  list.register(app);
  get.register(app);
  remove.register(app);
  return app;
}
