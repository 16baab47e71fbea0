import { useRef, useState } from "react";
import { ApiProblem, type Schemas } from "../../api/client";
import { streamSse } from "../../api/sse";

export interface ModelColumn {
  model: string;
  text: string;
  usage: Schemas["AskUsage"];
  error: { code: string; message: string } | null;
  status: "waiting" | "streaming" | "done";
  citations: number[];
}

export interface AskState {
  sources: Schemas["AskSource"][];
  columns: ModelColumn[];
  done: Schemas["AskDone"] | null;
  error: unknown;
  running: boolean;
}

const EMPTY: AskState = { sources: [], columns: [], done: null, error: null, running: false };

/** Streams POST /v1/ask: one column per model, filled as its deltas, usage and errors arrive. */
export function useAsk() {
  const [state, setState] = useState<AskState>(EMPTY);
  const abort = useRef<AbortController | null>(null);

  async function ask(body: Schemas["AskRequest"], models: string[]) {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const column = (model: string): ModelColumn => ({
      model,
      text: "",
      usage: null,
      error: null,
      status: "waiting",
      citations: [],
    });
    setState({ ...EMPTY, running: true, columns: models.map(column) });
    const update = (model: string, fn: (c: ModelColumn) => ModelColumn) =>
      setState((s) => {
        const has = s.columns.some((c) => c.model === model);
        const columns = has ? s.columns : [...s.columns, column(model)];
        return { ...s, columns: columns.map((c) => (c.model === model ? fn(c) : c)) };
      });
    try {
      const events = await streamSse("/v1/ask", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      for await (const ev of events) {
        const data = JSON.parse(ev.data);
        if (ev.event === "sources") setState((s) => ({ ...s, sources: data.sources }));
        else if (ev.event === "delta")
          update(data.model, (c) => ({ ...c, status: "streaming", text: c.text + data.text }));
        else if (ev.event === "usage") update(data.model, (c) => ({ ...c, usage: data, status: "done" }));
        else if (ev.event === "error")
          update(data.model, (c) => ({
            ...c,
            error: { code: data.code, message: data.message },
            status: "done",
          }));
        else if (ev.event === "done") {
          const done = data as Schemas["AskDone"];
          setState((s) => ({
            ...s,
            done,
            columns: s.columns.map((c) => ({
              ...c,
              status: "done",
              citations: done.models.find((m) => m.model === c.model)?.citations ?? c.citations,
            })),
          }));
        }
      }
      setState((s) => ({ ...s, running: false }));
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      setState((s) => ({
        ...s,
        running: false,
        error: err instanceof ApiProblem ? err : new ApiProblem(0, "network_error", String(err)),
      }));
    }
  }

  return { state, ask, stop: () => abort.current?.abort() };
}
