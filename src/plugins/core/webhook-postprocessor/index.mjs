// Posts each answer to the organization's URL, signed like Stripe's webhooks so receivers can reuse a
// verifier: X-AIHub-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}`>. Web Crypto is
// used so the plugin needs no Node module the sandbox refuses.

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function sign(secret, timestamp, body) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.${body}`)));
}

export async function process(input, host) {
  const { url, signingSecret } = host.config;
  const body = JSON.stringify({
    type: "answer",
    question: input.question,
    answer: input.answer,
    citations: input.citations,
    model: input.model ?? null,
  });
  const t = Math.floor(Date.now() / 1000);
  const res = await host.fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-aihub-signature": `t=${t},v1=${await sign(signingSecret, t, body)}`,
    },
    body,
  });
  if (!res.ok) host.log(`webhook answered ${res.status}`);
  return { answer: input.answer };
}
