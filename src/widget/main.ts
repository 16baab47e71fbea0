/**
 * widget.js: `<script src=".../widget.js" data-embed-id="emb_..." async></script>` adds a launcher;
 * `<ai-hub-chat data-embed-id="emb_..."></ai-hub-chat>` places the chat inline. The only global is
 * `AIHubChat` (open, close, setVisitorToken, setLanguage); `ai-hub-chat:ready` fires on window once it
 * exists. Options are data attributes on the script tag or the element: data-locale, data-position
 * (left|right), data-color-scheme (light|dark|auto), data-primary-color (#rrggbb), data-visitor-token.
 */
import { Chat, type ChatOptions } from "./chat.js";

const TAG = "ai-hub-chat";
const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src ? new URL(script.src).origin : location.origin;
const chats = new Set<Chat>();
let visitorToken = script?.dataset.visitorToken ?? null;

function optionsOf(el: HTMLElement, inline: boolean): ChatOptions | null {
  const d = { ...script?.dataset, ...el.dataset };
  if (!d.embedId) {
    console.error("AI Hub widget: data-embed-id is missing");
    return null;
  }
  return {
    base,
    embedId: d.embedId,
    inline,
    locale: d.locale ?? null,
    position: d.position ?? null,
    scheme: d.colorScheme ?? null,
    color: d.primaryColor ?? null,
    visitorToken,
  };
}

class ChatElement extends HTMLElement {
  chat?: Chat;
  connectedCallback() {
    if (this.chat) return;
    const opts = optionsOf(this, !this.hasAttribute("data-floating"));
    if (!opts) return;
    this.chat = new Chat(this, opts);
    chats.add(this.chat);
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, ChatElement);

function mountLauncher() {
  if (!script?.dataset.embedId || document.querySelector(`${TAG}[data-floating]`)) return;
  const el = document.createElement(TAG);
  el.setAttribute("data-floating", "");
  document.body.append(el);
}

if (document.body) mountLauncher();
else document.addEventListener("DOMContentLoaded", mountLauncher, { once: true });

const api = {
  open() {
    for (const c of chats) c.open();
  },
  close() {
    for (const c of chats) c.close();
  },
  setVisitorToken(token: string | null) {
    visitorToken = token;
    for (const c of chats) c.setVisitorToken(token);
  },
  setLanguage(locale: string) {
    for (const c of chats) c.setLanguage(locale);
  },
};
(window as unknown as { AIHubChat: typeof api }).AIHubChat = api;
window.dispatchEvent(new CustomEvent(`${TAG}:ready`));
