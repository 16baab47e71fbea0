import { newRouter } from "../common.js";
import * as create from "./create.js";
import * as remove from "./delete.js";
import * as get from "./get.js";
import * as list from "./list.js";
import * as sync from "./sync.js";

/** Connectors of knowledge bases (issue 19): bind, list, read, run now, remove. */
export function connectorRoutes() {
  const app = newRouter();
  create.register(app);
  list.register(app);
  get.register(app);
  sync.register(app);
  remove.register(app);
  return app;
}
