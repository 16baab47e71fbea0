/** The widget's calls to the public endpoints: plain fetch, no cookies, SSE read from the body stream. */
export interface EmbedConfig {
  id: string;
  name: string;
  greeting: string;
  starter_questions: string[];
  theme: { primary_color?: string; position?: "left" | "right"; color_scheme?: "light" | "dark" | "auto" };
  default_language: string | null;
  signed_visitors_only: boolean;
}

export interface Source {
  n: number;
  title: string;
  page_start: number | null;
  page_end: number | null;
  text: string;
}

/** The fields of the ask events the widget reads (sources, delta, done). */
export interface StreamData {
  sources?: Source[];
  text?: string;
  models?: { status: string; citations: number[] }[];
}

/** A refusal the server explained (status, code, and the cap it names); anything else is a network error. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.detail ?? code));
  }
}

export class Api {
  visitorToken: string | null = null;
  constructor(
    readonly base: string,
    readonly embedId: string,
  ) {}

  private async req(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.visitorToken) h["x-visitor-token"] = this.visitorToken;
    if (body !== undefined) h["content-type"] = "application/json";
    const res = await fetch(`${this.base}/v1/public/embeds/${this.embedId}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: h,
      credentials: "omit",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      throw new ApiRefusal(res.status, String(problem.code ?? "error"), problem);
    }
    return res;
  }

  async config(): Promise<EmbedConfig> {
    return (await this.req("")).json();
  }

  async start(visitorId: string): Promise<{ conversation_id: string; conversation_token: string }> {
    return (await this.req("/conversations", { visitor_id: visitorId })).json();
  }

  /** Streams one answer; calls `on` for each SSE event and returns the stored answer's id. */
  async ask(
    conv: { conversation_id: string; conversation_token: string },
    question: string,
    on: (event: string, data: StreamData) => void,
  ): Promise<string | null> {
    const res = await this.req(
      `/conversations/${conv.conversation_id}/messages`,
      { question },
      { "x-conversation-token": conv.conversation_token },
    );
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let cut = buf.indexOf("\n\n");
      while (cut >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) on(ev, JSON.parse(data));
        cut = buf.indexOf("\n\n");
      }
    }
    return res.headers.get("x-message-id");
  }

  async feedback(
    conv: { conversation_id: string; conversation_token: string },
    messageId: string,
    rating: "up" | "down",
    comment?: string,
  ): Promise<void> {
    await this.req(
      `/conversations/${conv.conversation_id}/messages/${messageId}/feedback`,
      { rating, ...(comment ? { comment } : {}) },
      { "x-conversation-token": conv.conversation_token },
    );
  }
}
