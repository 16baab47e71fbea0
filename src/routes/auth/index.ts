import { newRouter } from "../common.js";
import * as email from "./email.js";
import * as invitations from "./invitations.js";
import * as options from "./options.js";
import * as password from "./password.js";
import * as session from "./session.js";
import * as sessions from "./sessions.js";
import * as signIn from "./sign-in.js";
import * as signUp from "./sign-up.js";
import * as sso from "./sso.js";
import * as totp from "./totp.js";

export function authRoutes() {
  const app = newRouter();
  for (const mod of [options, signUp, signIn, session, sessions, password, email, totp, invitations, sso])
    mod.register(app);
  return app;
}
