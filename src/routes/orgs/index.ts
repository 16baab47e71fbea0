import { newRouter } from "../common.js";
import * as invitations from "./invitations.js";
import * as list from "./list.js";
import * as members from "./members.js";
import * as sso from "./sso.js";

export function orgRoutes() {
  const app = newRouter();
  for (const mod of [list, members, invitations, sso]) mod.register(app);
  return app;
}
