import { newRouter } from "../common.js";
import * as search from "./search.js";

export function searchRoutes() {
  const app = newRouter();
  search.register(app);
  return app;
}
