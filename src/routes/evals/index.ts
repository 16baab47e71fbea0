import { newRouter } from "../common.js";
import * as create from "./create.js";
import * as remove from "./delete.js";
import * as list from "./list.js";
import * as run from "./run.js";
import * as runs from "./runs.js";

export function evalRoutes() {
  const app = newRouter();
  // Static segments (run, runs) are registered before the {questionId} route they could be read as.
  run.register(app);
  runs.register(app);
  create.register(app);
  list.register(app);
  remove.register(app);
  return app;
}
