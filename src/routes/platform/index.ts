import { newRouter } from "../common.js";
import * as backup from "./backup.js";
import * as billing from "./billing.js";
import * as organizations from "./organizations.js";
import * as plugins from "./plugins.js";
import * as users from "./users.js";

export function platformRoutes() {
  const app = newRouter();
  organizations.register(app);
  users.register(app);
  backup.register(app);
  billing.register(app);
  plugins.register(app);
  return app;
}
