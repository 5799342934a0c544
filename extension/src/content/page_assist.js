// Page assist for shops without chat-API access (seller-centre-chat-page.md 6.2-6.4).
// Reads new buyer messages of the open conversation (baseline, then diff by fingerprint, so
// recycled virtualised rows are never emitted twice) and fills the React-controlled chat box.
// It never scrolls, opens conversations, clicks, presses Enter or calls Shopee's APIs.
"use strict";

(() => {
  const S = globalThis.yiwaiwaiSelectors;
  const TIME_RE = /^\d{1,2}:\d{2}$/;
  const TRAILING_TIME_RE = /\s*(\d{1,2}:\d{2})\s*$/;
  const BURST_MS = 1200;

  function cyrb53(text, seed = 0) {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
  }

  // The bubble's own text and its "HH:MM" label (which the page renders inside the bubble).
  function readBubble(node) {
    const { el: pre } = S.resolve("msgText", node);
    const source = pre || node;
    let time = "";
    const parts = [];
    for (const child of source.childNodes) {
      const value = child.textContent || "";
      if (child.nodeType === Node.ELEMENT_NODE && TIME_RE.test(value.trim())) time = value.trim();
      else parts.push(value);
    }
    let text = parts.join("").trim();
    const trailing = text.match(TRAILING_TIME_RE);
    if (!time && trailing) {
      time = trailing[1];
      text = text.slice(0, trailing.index).trim();
    }
    return { text: text.normalize("NFC"), time };
  }

  function currentConversation() {
    const { el: cell } = S.resolve("cellCurrent");
    if (cell) {
      const { el: name } = S.resolve("cellName", cell);
      if (name) return name.getAttribute("title");
    }
    const { el: header } = S.resolve("conversationHeader");
    if (header) return (header.getAttribute("title") || header.textContent || "").trim();
    return "";
  }

  class PageReader {
    constructor(onBurst) {
      this.onBurst = onBurst;
      this.seen = new Map();
      this.burst = null;
      this.health = { messageList: null, msgIn: null, composer: null };
    }

    conversationKey() {
      const name = currentConversation();
      return { key: `${location.hostname}|${name || "open-conversation"}`, name };
    }

    // One pass over the rendered buyer bubbles; emits only fingerprints not seen before.
    scan() {
      if (!S.isChatPage() || S.isIdlePage()) return;
      const { el: list, selector } = S.resolve("messageList");
      this.health.messageList = selector;
      if (!list) return;
      const { key, name } = this.conversationKey();
      const { els, selector: inSelector } = S.resolveAll("msgIn", list);
      this.health.msgIn = inSelector;
      const bubbles = els
        .map((el) => ({ el, top: el.getBoundingClientRect().top, ...readBubble(el) }))
        .filter((b) => b.text)
        .sort((a, b) => a.top - b.top);
      const counts = new Map();
      const prints = bubbles.map((b) => {
        const base = `${key}|in|${b.text}|${b.time}`;
        const n = (counts.get(base) || 0) + 1;
        counts.set(base, n);
        return { ...b, fp: `${base}|${n}` };
      });
      if (!this.seen.has(key)) {
        this.seen.set(key, new Set(prints.map((p) => p.fp))); // baseline: history is not news
        return;
      }
      const seen = this.seen.get(key);
      for (const p of prints) {
        if (seen.has(p.fp)) continue;
        seen.add(p.fp);
        this.add(key, name, p);
      }
    }

    // Consecutive bubbles of one burst become one query for the companion.
    add(key, name, print) {
      if (this.burst && this.burst.key !== key) this.flush();
      if (!this.burst) this.burst = { key, name, parts: [], prints: [], time: "" };
      this.burst.parts.push(print.text);
      this.burst.prints.push(print.fp);
      this.burst.time = print.time;
      clearTimeout(this.burst.timer);
      this.burst.timer = setTimeout(() => this.flush(), BURST_MS);
    }

    flush() {
      const burst = this.burst;
      this.burst = null;
      if (!burst) return;
      clearTimeout(burst.timer);
      this.onBurst({
        host: location.hostname,
        conversation_key: burst.key.slice(0, 200),
        buyer_name: burst.name.slice(0, 200),
        text: burst.parts.join("\n").slice(0, 2000),
        fingerprint: cyrb53(burst.prints.join("\n")),
        time_label: burst.time,
      });
    }
  }

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

  // Put a draft into the React-controlled textarea (6.4). Never sends, never presses Enter.
  async function fillComposer(text, { replace = false, expectedKey = null } = {}) {
    const { el, selector } = S.resolve("composer");
    if (!el) {
      try {
        await navigator.clipboard.writeText(text);
        return { ok: false, reason: "composer_not_found", clipboard: true };
      } catch {
        return { ok: false, reason: "composer_not_found", clipboard: false };
      }
    }
    const current = `${location.hostname}|${currentConversation() || "open-conversation"}`;
    if (expectedKey && expectedKey !== current) return { ok: false, reason: "conversation_changed" };
    if (el.value.trim() && el.value !== text && !replace) return { ok: false, reason: "composer_has_text" };
    el.focus();
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
    setter.call(el, text);
    el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: text }));
    await nextFrame();
    if (el.value !== text) {
      el.select();
      document.execCommand("insertText", false, text);
    }
    return { ok: el.value === text, reason: el.value === text ? "" : "composer_rejected", selector };
  }

  globalThis.yiwaiwaiPageAssist = Object.freeze({ PageReader, fillComposer, currentConversation, readBubble });
})();
