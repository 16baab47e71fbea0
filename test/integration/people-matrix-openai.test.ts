import { describe } from "vitest";
import type { Browser } from "../helpers/people.js";
import { type Case, describeMatrix, type World } from "../helpers/role-matrix.js";
import { describeRouteSecurity } from "../helpers/route-security.js";

/**
 * The role matrix for the OpenAI-compatible surface: files and vector stores are documents and
 * knowledge bases under other names, so they take the same rights (reading: any member; uploading,
 * attaching, detaching: `ingest`; creating, renaming, deleting stores: `admin`); chat completions,
 * embeddings and store search are asking (`query`).
 */
const fileForm = () => {
  const form = new FormData();
  form.set("purpose", "assistants");
  form.set(
    "file",
    new File([`Trace trees record hot loops ${Math.random()}.`], "notes.txt", { type: "text/plain" }),
  );
  return form;
};

async function newFile(b: Browser): Promise<string> {
  const r = await b.call("POST", "/v1/files", { body: fileForm() });
  if (r.status !== 200) throw new Error(`file upload ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

/** Polls a store file or batch until it is no longer in progress (ingestion runs in the background). */
async function settled(b: Browser, path: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await b.call("GET", path);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.body.status !== "in_progress") return;
    if (Date.now() > deadline) throw new Error(`${path} still in progress`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A new file attached to the store and indexed, ready to be updated or detached. */
async function attachedFile(b: Browser, kb: string): Promise<string> {
  const file = await newFile(b);
  const r = await b.call("POST", `/v1/vector_stores/${kb}/files`, { body: { file_id: file } });
  if (r.status !== 200) throw new Error(`attach ${r.status} ${JSON.stringify(r.body)}`);
  await settled(b, `/v1/vector_stores/${kb}/files/${file}`);
  return file;
}

const store = (i: { kb: string }) => `/v1/vector_stores/${i.kb}`;

const cases = (w: World): Case[] => [
  { method: "POST", path: () => "/v1/files", need: "ingest", body: fileForm, scoped: false },
  { method: "GET", path: () => "/v1/files", need: "member", scoped: false },
  { method: "GET", path: (i) => `/v1/files/${i.file}`, need: "member", scoped: true },
  { method: "GET", path: (i) => `/v1/files/${i.file}/content`, need: "member", scoped: true },
  {
    method: "DELETE",
    path: (i) => `/v1/files/${i.file}`,
    need: "ingest",
    fresh: async () => ({ file: await newFile(w.owner) }),
    scoped: true,
  },
  {
    method: "POST",
    path: () => "/v1/vector_stores",
    need: "admin",
    body: () => ({ name: "vs" }),
    scoped: false,
  },
  { method: "GET", path: () => "/v1/vector_stores", need: "member", scoped: false },
  { method: "GET", path: store, need: "member", scoped: true },
  { method: "POST", path: store, need: "admin", body: () => ({ name: "renamed" }), scoped: true },
  {
    method: "DELETE",
    path: store,
    need: "admin",
    fresh: async () => ({
      kb: (await w.owner.call("POST", "/v1/vector_stores", { body: { name: "tmp" } })).body.id,
    }),
    scoped: true,
  },
  {
    method: "POST",
    path: (i) => `${store(i)}/files`,
    need: "ingest",
    body: (i) => ({ file_id: i.file }),
    fresh: async () => ({ file: await newFile(w.owner) }),
    scoped: true,
  },
  { method: "GET", path: (i) => `${store(i)}/files`, need: "member", scoped: true },
  { method: "GET", path: (i) => `${store(i)}/files/${i.file}`, need: "member", scoped: true },
  {
    method: "POST",
    path: (i) => `${store(i)}/files/${i.file}`,
    need: "ingest",
    body: () => ({ attributes: { team: "search" } }),
    fresh: async () => ({ file: await attachedFile(w.owner, w.A.kb) }),
    scoped: true,
  },
  {
    method: "DELETE",
    path: (i) => `${store(i)}/files/${i.file}`,
    need: "ingest",
    fresh: async () => ({ file: await attachedFile(w.owner, w.A.kb) }),
    scoped: true,
  },
  {
    method: "POST",
    path: (i) => `${store(i)}/file_batches`,
    need: "ingest",
    body: (i) => ({ file_ids: [i.file] }),
    fresh: async () => ({ file: await newFile(w.owner) }),
    scoped: true,
  },
  { method: "GET", path: (i) => `${store(i)}/file_batches/${i.batch}`, need: "member", scoped: true },
  { method: "GET", path: (i) => `${store(i)}/file_batches/${i.batch}/files`, need: "member", scoped: true },
  { method: "POST", path: (i) => `${store(i)}/file_batches/${i.batch}/cancel`, need: "ingest", scoped: true },
  {
    method: "POST",
    path: (i) => `${store(i)}/search`,
    need: "query",
    body: () => ({ query: "trace trees" }),
    scoped: true,
  },
  {
    method: "POST",
    path: () => "/v1/chat/completions",
    need: "query",
    body: (i) => ({
      model: "extractive",
      messages: [{ role: "user", content: "What do trace trees record?" }],
      knowledge_base_ids: [i.kb],
    }),
    scoped: true,
  },
  {
    method: "POST",
    path: () => "/v1/responses",
    need: "query",
    body: (i) => ({
      model: "extractive",
      input: "What do trace trees record?",
      tools: [{ type: "file_search", vector_store_ids: [i.kb] }],
    }),
    scoped: true,
  },
  {
    method: "POST",
    path: () => "/v1/embeddings",
    need: "query",
    body: () => ({ input: "trace trees", model: "default" }),
    scoped: false,
  },
];

describe("role-by-route matrix: the OpenAI-compatible surface", () => {
  const w = describeMatrix("openai", cases, {
    seed: async (_w, { browser, ids }) => {
      const file = await attachedFile(browser, ids.kb);
      const batched = await newFile(browser);
      const batch = await browser.call("POST", `/v1/vector_stores/${ids.kb}/file_batches`, {
        body: { file_ids: [batched] },
      });
      await settled(browser, `/v1/vector_stores/${ids.kb}/file_batches/${batch.body.id}`);
      return { file, batch: batch.body.id };
    },
  });
  describeRouteSecurity("openai", w, cases(w));
});
