// Content script entry: shows the overlay on Seller Centre chat routes and talks to the
// companion only through the service worker (Chromium blocks a public page's scripts from
// reaching 127.0.0.1; platform-notes.md 3). Page assist runs only when the seller enables it.
"use strict";

(() => {
  const S = globalThis.yiwaiwaiSelectors;
  const { PageReader, fillComposer, currentConversation } = globalThis.yiwaiwaiPageAssist;
  const { Overlay } = globalThis.yiwaiwaiOverlay;
  const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
  const SCAN_DELAY_MS = 100;

  let overlay = null;
  let reader = null;
  let observer = null;
  let port = null;
  let settings = {};
  let lastState = null;
  const pageKeys = new Map(); // conversation id -> page conversation key, from page.message results
  const autoSent = new Set();
  let autoSendArmed = false;

  function ask(type, fields = {}) {
    return chrome.runtime.sendMessage({ type, ...fields }).then((reply) => {
      if (!reply || !reply.ok) throw (reply && reply.error) || { code: "internal" };
      return reply.data;
    });
  }

  function showError(error) {
    overlay.toast(t(errorKey(error && error.code)));
  }

  function errorKey(code) {
    // Same table as src/protocol.js ERROR_KEYS (content scripts cannot import modules).
    const keys = {
      invalid_format: "errInvalidFormat", bad_message: "errInvalidFormat", id_reuse: "errInvalidFormat",
      unauthorized: "errUnauthorized", protocol_unsupported: "errProtocol", not_ready: "errNotReady",
      rate_limited: "errRateLimited", not_found: "errNotFound", unknown_shop: "errNotFound",
      conflict: "errConflict", send_refused: "errSendRefused", unavailable: "errUnavailable",
      internal: "errInternal", timeout: "errTimeout", disconnected: "errDisconnected",
    };
    return keys[code] || "errInternal";
  }

  function expectedKey(conv) {
    if (pageKeys.has(conv.conversation_id)) return pageKeys.get(conv.conversation_id);
    return null;
  }

  // The reply belongs to the buyer whose conversation is open: never insert into another one.
  // When the page does not show whose conversation is open, the seller's eyes decide.
  function sameConversation(conv) {
    const openName = currentConversation();
    return !(conv.buyer_name && openName && openName !== conv.buyer_name);
  }

  const actions = {
    setAuto(auto) {
      ask("mode.set", { auto }).catch(showError);
    },
    async insert(conv, text, { replace = false } = {}) {
      if (!sameConversation(conv)) {
        overlay.toast(t("conversationChanged"));
        return;
      }
      const result = await fillComposer(text, { replace, expectedKey: expectedKey(conv) });
      if (result.ok) overlay.toast(t("inserted"));
      else if (result.reason === "composer_has_text") overlay.askReplace(conv, text);
      else if (result.reason === "composer_not_found") overlay.toast(t(result.clipboard ? "copiedToClipboard" : "composerNotFound"));
      else overlay.toast(t(result.reason === "conversation_changed" ? "conversationChanged" : "composerNotFound"));
    },
    send(conv, text) {
      const suggestion = conv.suggestion || {};
      ask("reply.send", { shop_id: conv.shop_id, conversation_id: conv.conversation_id, text, suggestion_id: suggestion.id })
        .then(() => overlay.toast(t("sent")))
        .catch(showError);
    },
    dismiss(conv) {
      const suggestion = conv.suggestion || {};
      ask("reply.dismiss", { shop_id: conv.shop_id, conversation_id: conv.conversation_id, suggestion_id: suggestion.id }).catch(showError);
    },
    release(conv) {
      ask("conversation.release", { shop_id: conv.shop_id, conversation_id: conv.conversation_id }).catch(showError);
    },
    // A person's one click: the companion re-checks Shopee's rules and sends (send_message).
    followupSend(item) {
      ask("followup.send", { followup_id: item.followup_id })
        .then(() => overlay.toast(t("followupSent")))
        .catch((error) => {
          showError(error);
          if (lastState) overlay.render(lastState);
        });
    },
    followupDismiss(item) {
      ask("followup.dismiss", { followup_id: item.followup_id }).catch(showError);
    },
  };

  function onBurst(message) {
    ask("page.message", message)
      .then((data) => {
        if (data && data.conversation_id) pageKeys.set(String(data.conversation_id), message.conversation_key);
      })
      .catch(showError);
  }

  // Suggestions that existed before the seller opted in are never sent from the page by itself.
  function armAutoSend(state) {
    for (const conv of Object.values((state && state.conversations) || {})) {
      if (conv.suggestion) autoSent.add(conv.suggestion.id);
    }
    autoSendArmed = Boolean(state);
  }

  // Opt-in only (`pageAutoSend`, confirmed against a warning on the options page): a suggestion
  // that arrives afterwards for the page conversation open in this tab is filled in and sent
  // with Enter, once, unless the seller has typed something of their own.
  async function maybeAutoSend(state) {
    if (!settings.pageAutoSend) return;
    if (!autoSendArmed) {
      armAutoSend(state);
      return;
    }
    for (const conv of Object.values(state.conversations || {})) {
      const key = expectedKey(conv);
      if (!key || !conv.suggestion || !conv.suggestion.text || autoSent.has(conv.suggestion.id)) continue;
      autoSent.add(conv.suggestion.id);
      if (!sameConversation(conv)) continue;
      const result = await fillComposer(conv.suggestion.text, { expectedKey: key });
      if (!result.ok) continue;
      const { el } = S.resolve("composer");
      el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter", keyCode: 13, bubbles: true }));
      overlay.toast(t("autoSentFromPage"));
    }
  }

  function scheduleScan() {
    clearTimeout(scheduleScan.timer);
    scheduleScan.timer = setTimeout(() => reader && reader.scan(), SCAN_DELAY_MS);
  }

  function startReader() {
    if (reader || !settings.pageAssist) return;
    reader = new PageReader(onBurst);
    reader.scan();
    observer = new MutationObserver(scheduleScan);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: S.OBSERVED_ATTRIBUTES });
  }

  function stopReader() {
    if (observer) observer.disconnect();
    observer = null;
    if (reader) reader.flush();
    reader = null;
  }

  function applySettings(next) {
    const wasAutoSend = Boolean(settings.pageAutoSend);
    settings = next || {};
    if (settings.pageAutoSend && !wasAutoSend) armAutoSend(lastState);
    if (!settings.pageAutoSend) autoSendArmed = false;
    if (!overlay) return;
    overlay.settings = settings;
    if (settings.pageAssist && S.isChatPage() && !S.isIdlePage()) startReader();
    else stopReader();
    if (lastState) overlay.render(lastState);
  }

  function connectPort() {
    port = chrome.runtime.connect({ name: "overlay" });
    port.onMessage.addListener((message) => {
      if (message.kind === "state") {
        lastState = message.state;
        overlay.render(message.state);
        maybeAutoSend(message.state);
      } else if (message.kind === "settings") {
        applySettings(message.settings);
      }
    });
    // The worker was stopped (normal in MV3): reconnecting the port wakes it and it resumes.
    port.onDisconnect.addListener(() => setTimeout(connectPort, 500));
  }

  function activate() {
    if (overlay || !S.isChatPage()) return;
    overlay = new Overlay(actions);
    connectPort();
    ask("settings.get").then(applySettings).catch(() => applySettings({}));
  }

  activate();
  // Seller Centre is a single-page app: follow client-side navigation onto and off the chat.
  let lastPath = location.pathname;
  setInterval(() => {
    if (location.pathname === lastPath) return;
    lastPath = location.pathname;
    if (!overlay) activate();
    else applySettings(settings);
  }, 1000);
})();
