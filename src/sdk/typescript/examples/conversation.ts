/**
 * A conversation over a knowledge base: the follow-up is rewritten into a standalone question before
 * retrieval. Prints each answer with the pages it cites.
 *   AIHUB_BASE_URL=... AIHUB_API_KEY=... npx tsx conversation.ts kb_...
 */
// Outside this repository: import { AiHub } from "@ai-hub/sdk";
import { AiHub } from "../src/index.js";

const [kbId] = process.argv.slice(2);
if (!kbId) throw new Error("usage: conversation.ts <knowledge_base_id>");
const hub = new AiHub({ baseURL: process.env.AIHUB_BASE_URL!, apiKey: process.env.AIHUB_API_KEY! });

const conversation = await hub.conversations.create({ knowledge_base_ids: [kbId] });
for (const question of ["What is a trace tree?", "How does it handle nested loops?"]) {
  const { answers, cited } = await (
    await hub.conversations.send(conversation.id, { question })
  ).finalAnswers();
  console.log(`Q: ${question}\nA: ${answers[0]?.text}`);
  for (const s of cited) console.log(`  [${s.n}] ${s.title}, page ${s.page_start ?? "?"}`);
}
