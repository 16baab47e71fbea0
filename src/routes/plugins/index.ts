import { newRouter } from "../common.js";
import * as org from "./org.js";

export function pluginRoutes() {
  const app = newRouter();
  org.register(app);
  return app;
}
