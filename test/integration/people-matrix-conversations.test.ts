import { describe } from "vitest";
import type { Browser } from "../helpers/people.js";
import { type Case, describeMatrix, type World } from "../helpers/role-matrix.js";
import { describeRouteSecurity } from "../helpers/route-security.js";

/**
 * The role matrix for conversations and support-bot embeds. A conversation belongs to the key or
 * session that started it (only `admin` sees everyone's), so each role reads and continues one it
 * started itself; embeds and the retention policy are the organization's settings (`admin`).
 */
const startConversation = async (b: Browser, kb: string) =>
  (await b.call("POST", "/v1/conversations", { body: { knowledge_base_ids: [kb] } })).body.id as string;
const createEmbed = async (b: Browser, kb: string) =>
  (
    await b.call("POST", "/v1/embeds", {
      body: { name: "bot", knowledge_base_ids: [kb], allowed_origins: ["https://shop.example.com"] },
    })
  ).body.id as string;

const cases = (w: World): Case[] => [
  {
    method: "POST",
    path: () => "/v1/conversations",
    need: "query",
    body: (i) => ({ knowledge_base_ids: [i.kb] }),
    scoped: true,
  },
  {
    method: "GET",
    path: (i) => `/v1/conversations/${i.conv}`,
    need: "query",
    fresh: async (role) => ({ conv: await startConversation(w.people[role], w.A.kb) }),
    scoped: true,
    // Started by a person: of the API keys only an `admin` one sees it.
    keyScopes: ["admin"],
  },
  {
    method: "POST",
    path: (i) => `/v1/conversations/${i.conv}/messages`,
    need: "query",
    body: () => ({ question: "What do trace trees record?", stream: false }),
    fresh: async (role) => ({ conv: await startConversation(w.people[role], w.A.kb) }),
    scoped: true,
    // Started by a person: of the API keys only an `admin` one sees it.
    keyScopes: ["admin"],
  },
  { method: "GET", path: () => "/v1/conversations/retention", need: "admin", scoped: false },
  {
    method: "PUT",
    path: () => "/v1/conversations/retention",
    need: "admin",
    body: () => ({ days: 30 }),
    scoped: false,
  },
  { method: "POST", path: () => "/v1/conversations/purge", need: "admin", scoped: false },
  {
    method: "POST",
    path: () => "/v1/embeds",
    need: "admin",
    body: (i) => ({ name: "m", knowledge_base_ids: [i.kb], allowed_origins: ["https://shop.example.com"] }),
    scoped: true,
  },
  { method: "GET", path: () => "/v1/embeds", need: "admin", scoped: false },
  { method: "GET", path: (i) => `/v1/embeds/${i.embed}`, need: "admin", scoped: true },
  {
    method: "PATCH",
    path: (i) => `/v1/embeds/${i.embed}`,
    need: "admin",
    body: () => ({ greeting: "Hello!" }),
    scoped: true,
  },
  {
    method: "DELETE",
    path: (i) => `/v1/embeds/${i.embed}`,
    need: "admin",
    fresh: async () => ({ embed: await createEmbed(w.owner, w.A.kb) }),
    scoped: true,
  },
  { method: "GET", path: (i) => `/v1/embeds/${i.embed}/conversations`, need: "admin", scoped: true },
];

describe("role-by-route matrix: conversations and embeds", () => {
  const w = describeMatrix("conversations", cases, {
    seed: async (_w, { browser, ids }) => ({
      conv: await startConversation(browser, ids.kb),
      embed: await createEmbed(browser, ids.kb),
    }),
  });
  describeRouteSecurity("conversations", w, cases(w));
});
