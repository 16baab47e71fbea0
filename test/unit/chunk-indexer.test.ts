import { describe, expect, it } from "vitest";
import type { PipelineDeps } from "../../ingest/pipeline/deps.js";
import { ChunkIndexer } from "../../ingest/pipeline/index-chunks.js";
import type { LoadedJob } from "../../ingest/pipeline/load.js";
import type { Chunk } from "../../ingest/types.js";

const chunk = (ordinal: number): Chunk => ({
  ordinal,
  text: `chunk ${ordinal}`,
  charStart: ordinal * 10,
  charEnd: ordinal * 10 + 7,
  pageStart: null,
  pageEnd: null,
  headingPath: [],
  tokens: 2,
});

// An aborted job fails its first batch before touching any dependency, so none are needed here.
const noDeps = {} as PipelineDeps;
const job = { version: { chunksIndexed: 0 } } as LoadedJob;

describe("ChunkIndexer", () => {
  it("reports a failed batch from finish() instead of hanging, even when more chunks arrive after it", async () => {
    const indexer = new ChunkIndexer(noDeps, job, { keyId: null, signal: AbortSignal.abort() });
    indexer.setTitle("t");
    indexer.push(Array.from({ length: 64 }, (_, i) => chunk(i)));
    await new Promise((r) => setImmediate(r));
    indexer.push(Array.from({ length: 70 }, (_, i) => chunk(64 + i)));
    await expect(indexer.finish({})).rejects.toMatchObject({ name: "AbortError" });
  });

  it("stop() settles without indexing what is still waiting", async () => {
    const indexer = new ChunkIndexer(noDeps, job, { keyId: null, signal: AbortSignal.abort() });
    indexer.setTitle("t");
    indexer.push([chunk(0), chunk(1)]);
    await expect(indexer.stop()).resolves.toBeUndefined();
  });
});
