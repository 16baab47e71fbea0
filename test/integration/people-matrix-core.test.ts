import { describe } from "vitest";
import { type Case, describeMatrix, uploadText, type World } from "../helpers/role-matrix.js";
import { describeRouteSecurity } from "../helpers/route-security.js";

/** The role matrix for knowledge bases, documents (with their read routes), search, ask, usage, audit and keys. */
const cases = (w: World): Case[] => [
  { method: "GET", path: () => "/v1/knowledge-bases", need: "member", scoped: false },
  {
    method: "POST",
    path: () => "/v1/knowledge-bases",
    need: "admin",
    body: () => ({ name: "m" }),
    scoped: false,
  },
  { method: "GET", path: (i) => `/v1/knowledge-bases/${i.kb}`, need: "member", scoped: true },
  {
    method: "PATCH",
    path: (i) => `/v1/knowledge-bases/${i.kb}`,
    need: "admin",
    body: () => ({ description: "d" }),
    scoped: true,
  },
  {
    method: "DELETE",
    path: (i) => `/v1/knowledge-bases/${i.kb}`,
    need: "admin",
    fresh: async () => ({
      kb: (await w.owner.call("POST", "/v1/knowledge-bases", { body: { name: "tmp" } })).body.id,
    }),
    scoped: true,
  },
  {
    method: "POST",
    path: (i) => `/v1/knowledge-bases/${i.kb}/documents?filename=m.txt`,
    need: "ingest",
    raw: true,
    body: () => `note ${Math.random()}`,
    scoped: true,
  },
  {
    method: "POST",
    path: (i) => `/v1/knowledge-bases/${i.kb}/documents/bulk`,
    need: "ingest",
    raw: true,
    body: () => JSON.stringify({ text: `bulk note ${Math.random()}` }),
    scoped: true,
  },
  {
    method: "GET",
    path: (i) => `/v1/knowledge-bases/${i.kb}/batches/${i.imp}`,
    need: "member",
    scoped: true,
  },
  { method: "GET", path: (i) => `/v1/knowledge-bases/${i.kb}/documents`, need: "member", scoped: true },
  { method: "GET", path: (i) => `/v1/documents/${i.doc}`, need: "member", scoped: true },
  { method: "GET", path: (i) => `/v1/documents/${i.doc}/events`, need: "member", scoped: true },
  // Reading what was indexed has the rights of reading the document (issue 11).
  { method: "GET", path: (i) => `/v1/documents/${i.doc}/chunks`, need: "member", scoped: true },
  { method: "GET", path: (i) => `/v1/documents/${i.doc}/text`, need: "member", scoped: true },
  { method: "GET", path: (i) => `/v1/documents/${i.doc}/content`, need: "member", scoped: true },
  {
    method: "DELETE",
    path: (i) => `/v1/documents/${i.doc}`,
    need: "ingest",
    fresh: async () => ({ doc: await uploadText(w.t, w.ownerKeyA, w.A.kb, `doomed ${Math.random()}`) }),
    scoped: true,
  },
  {
    method: "POST",
    path: () => "/v1/search",
    need: "query",
    body: (i) => ({ query: "trace", knowledge_base_ids: [i.kb] }),
    scoped: true,
  },
  {
    method: "POST",
    path: () => "/v1/ask",
    need: "query",
    body: (i) => ({ question: "What do trace trees record?", knowledge_base_ids: [i.kb], stream: false }),
    scoped: true,
  },
  { method: "GET", path: () => "/v1/models", need: "member", scoped: false },
  { method: "GET", path: () => "/v1/usage", need: "member", scoped: false },
  // Any member sees the organization's SLA; `scope=platform` is the platform administrator's (people matrix).
  { method: "GET", path: () => "/v1/sla", need: "member", scoped: false },
  { method: "GET", path: () => "/v1/sla?scope=platform", need: "platform", scoped: false },
  { method: "GET", path: () => "/v1/audit", need: "admin", scoped: false },
  {
    method: "POST",
    path: () => "/v1/keys",
    need: "keys.create",
    body: () => ({ name: "m", scopes: ["query"] }),
    scoped: false,
  },
  { method: "GET", path: () => "/v1/keys", need: "keys.create", scoped: false },
  {
    method: "GET",
    path: (i) => `/v1/keys/${i.key}`,
    need: "keys.create",
    // One's own key: without `admin` a person sees only keys within their own rights.
    fresh: async (role) => ({
      key: (await w.people[role].call("POST", "/v1/keys", { body: { name: "own", scopes: ["query"] } })).body
        .id,
    }),
    scoped: true,
  },
  {
    method: "DELETE",
    path: (i) => `/v1/keys/${i.key}`,
    need: "keys.create",
    // Made by the acting person: without `admin` one revokes only one's own keys.
    fresh: async (role) => ({
      key: (await w.people[role].call("POST", "/v1/keys", { body: { name: "own", scopes: ["query"] } })).body
        .id,
    }),
    scoped: true,
  },
  {
    method: "POST",
    path: (i) => `/v1/knowledge-bases/${i.kb}/evals`,
    need: "admin",
    body: (i) => ({ questions: [{ question: "q?", expected: [{ document_id: i.doc }] }] }),
    scoped: true,
  },
  { method: "GET", path: (i) => `/v1/knowledge-bases/${i.kb}/evals`, need: "query", scoped: true },
  {
    method: "DELETE",
    path: (i) => `/v1/knowledge-bases/${i.kb}/evals/${i.question}`,
    need: "admin",
    fresh: async () => ({
      question: (
        await w.owner.call("POST", `/v1/knowledge-bases/${w.A.kb}/evals`, {
          body: { questions: [{ question: "tmp?", expected: [{ document_id: w.A.doc }] }] },
        })
      ).body.data[0].id,
    }),
    scoped: true,
  },
  {
    method: "POST",
    path: (i) => `/v1/knowledge-bases/${i.kb}/evals/run`,
    need: "query",
    body: () => ({}),
    scoped: true,
  },
  { method: "GET", path: (i) => `/v1/knowledge-bases/${i.kb}/evals/runs`, need: "query", scoped: true },
  {
    method: "GET",
    path: (i) => `/v1/knowledge-bases/${i.kb}/evals/runs/${i.run}`,
    need: "query",
    scoped: true,
  },
];

describe("role-by-route matrix: knowledge bases, documents, search, ask, usage, keys", () => {
  const w = describeMatrix("core", cases);
  describeRouteSecurity("core", w, cases(w));
});
