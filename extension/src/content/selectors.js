// Every Seller Centre page selector, in one place (seller-centre-chat-page.md sections 4, 6.1).
// Observed: 2026-08 (sources listed in that doc). Keyed by purpose; each purpose lists
// candidates from the most stable (data-cy hooks) down to structure and, last, hashed
// classes, plus a validator. A Seller Centre layout change should be one edit here.
// Never match visible text: it is localised.
"use strict";

(() => {
  const HOSTS = [
    "seller.shopee.cn", "seller.shopee.tw", "seller.shopee.co.id", "seller.shopee.com.my",
    "seller.shopee.co.th", "seller.shopee.ph", "seller.shopee.sg", "seller.shopee.com.br",
    "seller.shopee.com.mx", "seller.shopee.com.co", "seller.shopee.cl", "banhang.shopee.vn",
  ];
  const CHAT_ROUTES = [/^\/new-webchat\/conversations(\/|$)/, /^\/webchat\/conversations(\/|$)/];
  const IDLE_ROUTES = [/^\/account\//, /\/verify/, /^\/portal\/sgw/, /\/challenge/, /captcha/i];

  const visible = (el) => Boolean(el && el.isConnected && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
  const isTextarea = (el) => el instanceof HTMLTextAreaElement && visible(el) && !el.disabled && !el.readOnly;

  const PURPOSES = {
    inbox: {
      candidates: [
        '[data-cy="webchat-conversation-list"]',
        '[data-cy="webchat-conversation-list-wrapper"]',
        "#tab_all_buyers",
        "#messagesContainer",
      ],
      valid: (el) => el.isConnected,
    },
    cellCurrent: {
      candidates: [
        '[data-cy="webchat-conversation-cell-root-current"]',
        '[aria-selected="true"][role="row"]',
        '[role="rowgroup"] [aria-current="true"]',
      ],
      valid: (el) => el.isConnected,
    },
    cellName: {
      candidates: ['[data-cy="webchat-conversation-cell-name"][title]', "[title]"],
      valid: (el) => Boolean(el.getAttribute("title")),
    },
    conversationHeader: {
      candidates: ['[data-cy="webchat-conversation-detail-header-name"]', "#messagesContainer ~ header [title]"],
      valid: (el) => Boolean((el.getAttribute("title") || el.textContent || "").trim()),
    },
    messageList: {
      candidates: [
        '[data-cy="webchat-conversation-detail-message-container"]',
        '[id="#message-virtualized-list"]',
        "#messageSection",
        '#messagesContainer [role="grid"]',
      ],
      valid: (el) => el.isConnected,
    },
    msgIn: {
      candidates: ['[data-cy="webchat-message-receive"]', ".x_vjYCA89K"],
      valid: (el) => el.isConnected,
    },
    msgOut: {
      candidates: ['[data-cy="webchat-message-send"]', ".IjkExKWyR_"],
      valid: (el) => el.isConnected,
    },
    msgSystem: {
      candidates: ['[data-cy="webchat-message-system"]', ".RtO616EACf"],
      valid: (el) => el.isConnected,
    },
    msgText: {
      candidates: ["pre"],
      valid: (el) => el.isConnected,
    },
    composer: {
      candidates: [
        '[data-cy="webchat-conversation-detail-input"] textarea',
        "#inputField textarea",
        // Structural: counts only when it is the page's one visible textarea.
        { selector: "textarea[placeholder]", valid: (el) => [...document.querySelectorAll("textarea")].filter(visible).length === 1 },
        "textarea.E2MWg3w8y6",
      ],
      valid: isTextarea,
    },
    sendIcon: {
      candidates: ['[data-cy="webchat-conversation-detail-input"] i', "#inputField i", "i.kgP1yPCqxR"],
      valid: (el) => el.isConnected,
    },
  };

  // Resolve one purpose: first candidate whose element passes the validator, and which one matched.
  function matches(spec, candidate, root) {
    const selector = typeof candidate === "string" ? candidate : candidate.selector;
    const extra = typeof candidate === "string" ? () => true : candidate.valid;
    const els = [...root.querySelectorAll(selector)].filter((el) => spec.valid(el) && extra(el));
    return { els, selector };
  }

  function resolve(purpose, root = document) {
    const spec = PURPOSES[purpose];
    for (const candidate of spec.candidates) {
      const { els, selector } = matches(spec, candidate, root);
      if (els.length) return { el: els[0], selector };
    }
    return { el: null, selector: null };
  }

  // Every element of a purpose, from the first candidate that matches anything.
  function resolveAll(purpose, root = document) {
    const spec = PURPOSES[purpose];
    for (const candidate of spec.candidates) {
      const { els, selector } = matches(spec, candidate, root);
      if (els.length) return { els, selector };
    }
    return { els: [], selector: null };
  }

  // Attributes whose change can mean "another conversation is open" or "a row was recycled".
  const OBSERVED_ATTRIBUTES = ["data-cy", "title", "class", "style"];

  const isChatPage = (loc = location) =>
    HOSTS.includes(loc.hostname) && CHAT_ROUTES.some((re) => re.test(loc.pathname));
  const isIdlePage = (loc = location) => IDLE_ROUTES.some((re) => re.test(loc.pathname));

  globalThis.yiwaiwaiSelectors = Object.freeze({
    OBSERVED: "2026-08", OBSERVED_ATTRIBUTES, HOSTS, CHAT_ROUTES, PURPOSES, resolve, resolveAll, isChatPage, isIdlePage, visible,
  });
})();
