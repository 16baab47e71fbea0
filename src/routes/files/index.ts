import { newRouter } from "../common.js";
import * as files from "./files.js";

export function fileRoutes() {
  const app = newRouter();
  files.register(app);
  return app;
}
