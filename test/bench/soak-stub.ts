/**
 * The provider stand-in for bench:soak, in its own process so its work is not the load generator's:
 * the tests' OpenAI-compatible stub (HTTP/1.1, as the API's provider client speaks it). Model
 * `stub-slow` gives its first token after SOAK_TTFT_MS. Prints "stub listening on <url>".
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { startOpenAIStub } from "../helpers/openai-stub.js";

const stub = await startOpenAIStub({
  slowFirstTokenMs: Number(process.env.SOAK_TTFT_MS ?? 50),
  answer: "The lighthouse keeper counted ships at dawn [1].",
  record: false,
});
process.stdout.write(`stub listening on ${stub.baseURL}\n`);
process.on("SIGTERM", () => void stub.close().then(() => process.exit(0)));
