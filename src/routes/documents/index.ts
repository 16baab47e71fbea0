import { newRouter } from "../common.js";
import * as batch from "./batch.js";
import * as bulk from "./bulk.js";
import * as chunks from "./chunks.js";
import * as content from "./content.js";
import * as remove from "./delete.js";
import * as events from "./events.js";
import * as get from "./get.js";
import * as list from "./list.js";
import * as text from "./text.js";
import * as upload from "./upload.js";

export function documentRoutes() {
  const app = newRouter();
  upload.register(app);
  bulk.register(app);
  batch.register(app);
  list.register(app);
  get.register(app);
  events.register(app);
  chunks.register(app);
  text.register(app);
  content.register(app);
  remove.register(app);
  return app;
}
