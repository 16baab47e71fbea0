import { newRouter } from "../common.js";
import * as get from "./get.js";

export function slaRoutes() {
  const app = newRouter();
  get.register(app);
  return app;
}
