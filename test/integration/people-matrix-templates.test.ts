import { describe } from "vitest";
import type { ApplyTemplateRequest } from "../../src/routes/templates/apply.js";
import type { RecommendRequest } from "../../src/routes/templates/recommend.js";
import { type Case, describeMatrix } from "../helpers/role-matrix.js";
import { describeRouteSecurity } from "../helpers/route-security.js";

/** The role matrix and security cases for solution templates (issue 19). */
const cases = (): Case[] => [
  { method: "GET", path: () => "/v1/templates", need: "member", scoped: false },
  { method: "GET", path: (i) => `/v1/templates/${i.template}`, need: "member", scoped: false },
  {
    method: "POST",
    path: () => "/v1/templates/recommend",
    need: "query",
    body: (i): RecommendRequest => ({ knowledge_base_id: i.kb }),
    scoped: true,
  },
  {
    method: "POST",
    path: (i) => `/v1/templates/${i.template}/apply`,
    need: "admin",
    body: (): ApplyTemplateRequest => ({ name: "Helpdesk from the matrix" }),
    scoped: false,
  },
];

describe("role-by-route matrix: templates", () => {
  const w = describeMatrix("templates", cases);
  describeRouteSecurity("templates", w, cases());
});
