import { newRouter } from "../common.js";
import * as remove from "./delete.js";
import * as events from "./events.js";
import * as get from "./get.js";
import * as list from "./list.js";
import * as upload from "./upload.js";

export function documentRoutes() {
  const app = newRouter();
  upload.register(app);
  list.register(app);
  get.register(app);
  events.register(app);
  remove.register(app);
  return app;
}
