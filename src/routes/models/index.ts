import { newRouter } from "../common.js";
import * as list from "./list.js";

export function modelRoutes() {
  const app = newRouter();
  list.register(app);
  return app;
}
