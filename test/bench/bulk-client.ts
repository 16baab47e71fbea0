/**
 * The client side of `npm run bench:bulk` over HTTP, in its own process (as a user's uploader would
 * be, so its work does not share the server's event loop): sends the SciFact abstracts to the server
 * at BULK_BASE_URL, either one multipart upload per abstract with 8 in flight (`per-document`) or as
 * one JSONL request (`bulk`), then prints one JSON line: how long the requests took and this
 * process's own CPU time.
 */
import "../../src/node-check.js";
import { importJsonl, loadCorpus, uploadAbstract, uploadEach } from "./scifact-corpus.js";

const [scenario, kbId] = process.argv.slice(2);
const baseURL = process.env.BULK_BASE_URL!;
const key = process.env.BULK_KEY!;
const corpus = loadCorpus();

const started = Date.now();
const cpu = process.cpuUsage();
if (scenario === "per-document") {
  await uploadEach(corpus, 8, (doc) =>
    uploadAbstract(fetch, `${baseURL}/v1/knowledge-bases/${kbId}/documents`, key, doc),
  );
} else if (scenario === "bulk") {
  await importJsonl(fetch, `${baseURL}/v1/knowledge-bases/${kbId}/documents/bulk`, key, corpus);
} else {
  throw new Error(`unknown scenario ${scenario}: per-document or bulk`);
}
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ uploadMs: Date.now() - started, cpuMs: (used.user + used.system) / 1000 }));
