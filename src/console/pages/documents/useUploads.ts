import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiProblem } from "../../api/client";
import { streamSse } from "../../api/sse";
import { type Doc, type Stage, stageOf } from "./progress";
import { uploadFile } from "./upload";

export interface UploadItem {
  key: string;
  name: string;
  file: Blob;
  stage: Stage;
  /** 0-100: upload bytes while uploading, then the document's processing percent. */
  percent: number;
  docId?: string;
  deduplicated?: boolean;
  error?: ApiProblem;
  failure?: { code: string; message: string };
}

/**
 * Browsers open at most six HTTP/1.1 connections per host, and each file holds one (its upload,
 * then its event stream) until it is ready: three at a time leaves room for the page's own requests.
 */
const PARALLEL = 3;
let seq = 0;

/** Uploads many files, three at a time, each followed through its event stream to ready or failed. */
export function useUploads(kbId: string) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const queries = useQueryClient();
  // The queue lives in refs: it outlives renders and must not restart when the list re-renders.
  const state = useRef({
    files: new Map<string, UploadItem>(),
    waiting: [] as string[],
    running: 0,
    aborts: new Map<string, AbortController>(),
  });

  const patch = useCallback((key: string, p: Partial<UploadItem>) => {
    setItems((list) => list.map((it) => (it.key === key ? { ...it, ...p } : it)));
  }, []);

  const runOne = useCallback(
    async (key: string) => {
      const s = state.current;
      const item = s.files.get(key);
      if (!item) return;
      const abort = new AbortController();
      s.aborts.set(key, abort);
      try {
        patch(key, { stage: "uploading", percent: 0, error: undefined, failure: undefined });
        const accepted = await uploadFile(
          kbId,
          item.file,
          item.name,
          (r) => patch(key, { percent: Math.round(r * 100) }),
          abort.signal,
        );
        patch(key, { docId: accepted.id, deduplicated: accepted.deduplicated, stage: "queued", percent: 0 });
        void queries.invalidateQueries({ queryKey: ["documents", kbId] });
        const events = await streamSse(`/v1/documents/${accepted.id}/events`, { signal: abort.signal });
        for await (const ev of events) {
          if (ev.event === "deleted") break;
          const doc = JSON.parse(ev.data) as Doc;
          patch(key, { stage: stageOf(doc), percent: doc.progress.percent, failure: doc.error ?? undefined });
        }
      } catch (err) {
        if ((err as Error).name !== "AbortError") {
          patch(key, {
            stage: "failed",
            error: err instanceof ApiProblem ? err : new ApiProblem(0, "network_error", String(err)),
          });
        }
      } finally {
        s.aborts.delete(key);
        void queries.invalidateQueries({ queryKey: ["documents", kbId] });
      }
    },
    [kbId, patch, queries],
  );

  const pump = useCallback(() => {
    const s = state.current;
    while (s.running < PARALLEL && s.waiting.length) {
      const key = s.waiting.shift()!;
      s.running++;
      void runOne(key).finally(() => {
        s.running--;
        pump();
      });
    }
  }, [runOne]);

  const add = useCallback(
    (files: { file: Blob; name: string }[]) => {
      const fresh = files.map(({ file, name }) => ({
        key: `u${++seq}`,
        name,
        file,
        stage: "queued" as Stage,
        percent: 0,
      }));
      for (const f of fresh) state.current.files.set(f.key, f);
      state.current.waiting.push(...fresh.map((f) => f.key));
      setItems((list) => [...fresh, ...list]);
      pump();
    },
    [pump],
  );

  const retry = useCallback(
    (key: string) => {
      state.current.waiting.push(key);
      pump();
    },
    [pump],
  );

  useEffect(() => {
    const s = state.current;
    return () => {
      for (const a of s.aborts.values()) a.abort();
    };
  }, []);

  return { items, add, retry, clearDone: () => setItems((l) => l.filter((i) => i.stage !== "ready")) };
}
