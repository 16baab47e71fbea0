import { newRouter } from "../common.js";
import * as ask from "./ask.js";

export function askRoutes() {
  const app = newRouter();
  ask.register(app);
  return app;
}
