import { newRouter } from "../common.js";
import * as crud from "./crud.js";
import * as transcripts from "./transcripts.js";

export function embedRoutes() {
  const app = newRouter();
  transcripts.register(app);
  crud.register(app);
  return app;
}
