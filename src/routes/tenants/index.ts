import { newRouter } from "../common.js";
import * as create from "./create.js";
import * as list from "./list.js";
import * as recoveryKey from "./recovery-key.js";

export function tenantRoutes() {
  const app = newRouter();
  create.register(app);
  list.register(app);
  recoveryKey.register(app);
  return app;
}
