/**
 * Upload a PDF, wait until it is searchable, and stream a grounded answer with its pages.
 *   AIHUB_BASE_URL=http://localhost:8787 AIHUB_API_KEY=aih_... npx tsx ask-a-pdf.ts paper.pdf "What is a trace tree?"
 * CI runs this against a live server (test/integration/sdk-typescript.test.ts), so it cannot rot.
 */
// Outside this repository: import { AiHub } from "@ai-hub/sdk";
import { AiHub } from "../src/index.js";

const [pdf = "paper.pdf", question = "What is a trace tree?"] = process.argv.slice(2);
const hub = new AiHub({ baseURL: process.env.AIHUB_BASE_URL!, apiKey: process.env.AIHUB_API_KEY! });

const kb = await hub.knowledgeBases.create({ name: "Papers" });
const doc = await hub.documents.upload(kb.id, pdf);
await hub.documents.waitUntilReady(doc.id);

const answer = await hub.ask({ question, knowledge_base_ids: [kb.id] });
for await (const event of answer) {
  if (event.type === "delta") process.stdout.write(event.data.text);
  if (event.type === "sources") console.log(`(${event.data.sources.length} sources found)`);
  if (event.type === "done") console.log(`\ncost: $${event.data.cost_usd}`);
}
