/**
 * Code samples (curl, the TypeScript SDK, the Python SDK) on the native operations app developers
 * start with, shown by /docs. They use the calls the SDK examples run in CI
 * (src/sdk/{typescript,python}/examples), so a renamed method shows up there first.
 */
type Sample = { lang: "curl" | "TypeScript" | "Python"; source: string };

const TS = 'import { AiHub } from "@ai-hub/sdk";\nconst hub = new AiHub({ baseURL: BASE, apiKey: KEY });\n';
const PY = "from aihub import AiHub\nhub = AiHub(BASE, KEY)\n";
const AUTH = '-H "authorization: Bearer $KEY"';

export const SDK_SAMPLES: Record<"createKnowledgeBase" | "uploadDocument" | "search" | "ask", Sample[]> = {
  createKnowledgeBase: [
    {
      lang: "curl",
      source: `curl -s $BASE/v1/knowledge-bases ${AUTH} -H "content-type: application/json" -d '{"name":"Papers"}'`,
    },
    { lang: "TypeScript", source: `${TS}const kb = await hub.knowledgeBases.create({ name: "Papers" });` },
    { lang: "Python", source: `${PY}kb = hub.knowledge_bases.create("Papers")` },
  ],
  uploadDocument: [
    { lang: "curl", source: `curl -s $BASE/v1/knowledge-bases/kb_.../documents ${AUTH} -F file=@paper.pdf` },
    {
      lang: "TypeScript",
      source: `${TS}const doc = await hub.documents.upload("kb_...", "paper.pdf");\nawait hub.documents.waitUntilReady(doc.id);`,
    },
    {
      lang: "Python",
      source: `${PY}doc = hub.documents.upload("kb_...", "paper.pdf")\nhub.documents.wait_until_ready(doc["id"])`,
    },
  ],
  search: [
    {
      lang: "curl",
      source: `curl -s $BASE/v1/search ${AUTH} -H "content-type: application/json" \\\n  -d '{"query":"trace tree","knowledge_base_ids":["kb_..."]}'`,
    },
    {
      lang: "TypeScript",
      source: `${TS}const { data } = await hub.search({ query: "trace tree", knowledge_base_ids: ["kb_..."] });`,
    },
    { lang: "Python", source: `${PY}hits = hub.search("trace tree", ["kb_..."])["data"]` },
  ],
  ask: [
    {
      lang: "curl",
      source: `curl -N $BASE/v1/ask ${AUTH} -H "content-type: application/json" \\\n  -d '{"question":"What is a trace tree?","knowledge_base_ids":["kb_..."]}'`,
    },
    {
      lang: "TypeScript",
      source: `${TS}for await (const e of await hub.ask({ question: "What is a trace tree?", knowledge_base_ids: ["kb_..."] })) {\n  if (e.type === "delta") process.stdout.write(e.data.text);\n}`,
    },
    {
      lang: "Python",
      source: `${PY}result = hub.ask("What is a trace tree?", ["kb_..."]).final_answers()\nprint(result.answers[0].text, [(s.title, s.page_start) for s in result.cited])`,
    },
  ],
};
