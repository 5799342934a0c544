// The overlay panel inside Seller Centre: conversations with pillar/intent/confidence/language/
// mood, the suggested reply and why, insert / approve-and-send / dismiss / release, escalation
// alerts with the 12-hour countdown, the follow-ups waiting for a person (why, send, dismiss),
// the auto-mode switch and the connection state.
// Buyer text is only ever set with textContent (security.md L2); bidi text is isolated.
// Buttons ignore untrusted (script-generated) clicks, so a page script cannot press them.
"use strict";

(() => {
  const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;
  const ALERT_DEDUPE_S = 5;

  const CSS = `
    :host { all: initial; }
    .panel { position: fixed; right: 12px; bottom: 12px; width: 340px; max-height: 78vh; display: flex;
      flex-direction: column; font: 13px/1.4 system-ui, sans-serif; color: #222; background: #fff;
      border: 1px solid #ddd; border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.18);
      z-index: 2147483646; overflow: hidden; }
    header { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: #ee4d2d; color: #fff; }
    header h1 { font-size: 14px; margin: 0; flex: 1; }
    .pill { font-size: 11px; padding: 1px 7px; border-radius: 9px; background: rgba(255,255,255,.25); }
    .pill[data-status="ready"] { background: #2e9d4a; }
    label.switch { font-size: 12px; display: flex; gap: 4px; align-items: center; cursor: pointer; }
    .alerts:empty, .toast:empty { display: none; }
    .alert { background: #fff1f0; border-bottom: 1px solid #ffa39e; color: #a8071a; padding: 6px 10px; cursor: pointer; }
    .alert.flash { animation: flash 1s ease-in-out 3; }
    @keyframes flash { 50% { background: #ffccc7; } }
    .list { overflow-y: auto; max-height: 30vh; border-bottom: 1px solid #eee; }
    .row { padding: 6px 10px; border-bottom: 1px solid #f3f3f3; cursor: pointer; }
    .row[aria-selected="true"] { background: #fff7e6; }
    .row .name { font-weight: 600; unicode-bidi: isolate; }
    .badges { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 2px; }
    .badge { font-size: 11px; padding: 0 6px; border-radius: 8px; background: #f0f0f0; }
    .badge.pillar-pre_sale { background: #e6f4ff; } .badge.pillar-logistics { background: #f6ffed; }
    .badge.pillar-after_sale { background: #fff0f6; } .badge.pillar-general { background: #f9f0ff; }
    .badge.mood-negative { background: #ffccc7; } .badge.escalated { background: #a8071a; color: #fff; }
    .detail { padding: 8px 10px; overflow-y: auto; }
    .detail:empty { display: none; }
    .msg { background: #f5f5f5; border-radius: 8px; padding: 4px 8px; margin: 3px 0; white-space: pre-wrap; unicode-bidi: plaintext; }
    .reason { font-size: 12px; color: #666; margin: 4px 0; }
    textarea { width: 100%; box-sizing: border-box; min-height: 64px; font: inherit; }
    .actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
    button { font: inherit; padding: 3px 9px; border-radius: 6px; border: 1px solid #ccc; background: #fff; cursor: pointer; }
    button.primary { background: #ee4d2d; color: #fff; border-color: #ee4d2d; }
    .followups:empty { display: none; }
    .followups { max-height: 24vh; overflow-y: auto; border-bottom: 1px solid #eee; background: #f6ffed; }
    .fu-title { font-weight: 600; padding: 6px 10px 2px; }
    .followup { padding: 4px 10px 6px; border-top: 1px solid #e3f2d7; }
    .fu-head bdi { unicode-bidi: isolate; }
    .toast { padding: 6px 10px; background: #fffbe6; border-top: 1px solid #ffe58f; font-size: 12px; }
    .empty { padding: 10px; color: #888; }
    .footer { font-size: 11px; color: #888; padding: 4px 10px; border-top: 1px solid #eee; }
  `;

  function el(tag, attrs = {}, text = null) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (text !== null) node.textContent = String(text);
    return node;
  }

  function trusted(handler) {
    return (event) => {
      if (!event.isTrusted) return;
      handler(event);
    };
  }

  function countdown(deadline) {
    const left = Math.round(deadline - Date.now() / 1000);
    if (left <= 0) return t("deadlinePassed");
    const h = Math.floor(left / 3600);
    const m = Math.floor((left % 3600) / 60);
    const s = left % 60;
    return t("deadlineLeft", [`${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`]);
  }

  // Why this reply is a suggestion: the localised reason code, plus the intent and rule.
  function reasonText(suggestion) {
    const code = suggestion.reason || "";
    const known = chrome.i18n.getMessage(`why_${code}`);
    const parts = [known || code];
    if (suggestion.intent) parts.push(`${t("intentLabel")} ${suggestion.intent}`);
    if (suggestion.rule_id) parts.push(`${t("ruleLabel")} ${suggestion.rule_id}`);
    return `${t("reasonLabel")}: ${parts.filter(Boolean).join(" · ")}`;
  }

  // Why a follow-up waits for a person: its localised code (`shopee_refused:<error>` as is).
  function followupReason(code) {
    const known = /^\w+$/.test(code || "") && (chrome.i18n.getMessage(`fu_${code}`) || chrome.i18n.getMessage(`why_${code}`));
    return `${t("reasonWaiting")}: ${known || code || "?"}`;
  }

  class Overlay {
    constructor(actions) {
      this.actions = actions;
      this.state = null;
      this.selected = null;
      this.draftFor = null;
      this.knownAlerts = new Set();
      this.settings = {};
      this.host = el("div", { id: "yiwaiwai-overlay" });
      this.root = this.host.attachShadow({ mode: "open" });
      this.root.append(el("style", {}, CSS));
      this.panel = el("section", { class: "panel", "data-yww": "panel" });
      this.build();
      this.root.append(this.panel);
      document.documentElement.append(this.host);
      this.ticker = setInterval(() => this.tick(), 1000);
    }

    build() {
      const header = el("header");
      header.append(el("h1", {}, t("overlayTitle")));
      this.status = el("span", { class: "pill", "data-yww": "status" }, t("statusConnecting"));
      const label = el("label", { class: "switch" });
      this.auto = el("input", { type: "checkbox", "data-yww": "auto" });
      this.auto.addEventListener("change", trusted(() => this.actions.setAuto(this.auto.checked)));
      label.append(this.auto, el("span", {}, t("autoMode")));
      header.append(this.status, label);
      this.alerts = el("div", { class: "alerts", "data-yww": "alerts" });
      this.followupsBox = el("div", { class: "followups", "data-yww": "followups" });
      this.list = el("div", { class: "list", role: "listbox", "data-yww": "list" });
      this.detail = el("div", { class: "detail", "data-yww": "detail" });
      this.toastBox = el("div", { class: "toast", role: "status", "data-yww": "toast" });
      this.footer = el("div", { class: "footer", "data-yww": "footer" });
      this.panel.append(header, this.alerts, this.followupsBox, this.list, this.detail, this.toastBox, this.footer);
    }

    toast(text) {
      this.toastBox.textContent = text;
      clearTimeout(this.toastTimer);
      this.toastTimer = setTimeout(() => { this.toastBox.textContent = ""; }, 6000);
    }

    conversations() {
      const all = Object.values((this.state && this.state.conversations) || {});
      return all.sort((a, b) => Boolean(b.escalation) - Boolean(a.escalation) || b.updated_at - a.updated_at);
    }

    render(state) {
      this.state = state;
      const status = state.status || "idle";
      this.status.dataset.status = status;
      this.status.textContent = t(`status_${status}`);
      this.auto.checked = Boolean(state.ready && state.ready.auto);
      this.auto.disabled = status !== "ready";
      this.renderAlerts();
      this.renderFollowups();
      this.renderList();
      this.renderDetail();
      this.footer.textContent = this.settings.pageAssist ? t("pageAssistOn") : t("pageAssistOff");
    }

    renderAlerts() {
      this.alerts.replaceChildren();
      for (const conv of this.conversations().filter((c) => c.escalation)) {
        const box = el("div", { class: "alert", "data-yww": "alert", "data-key": conv.key });
        box.append(el("strong", {}, `${t("escalated")}: `), el("bdi", {}, conv.buyer_name || conv.conversation_id));
        box.append(el("span", {}, ` — ${t(`reason_${conv.escalation.reason}`) || conv.escalation.reason} — `));
        box.append(el("span", { class: "countdown", "data-yww": "countdown", "data-deadline": conv.escalation.deadline_at }, countdown(conv.escalation.deadline_at)));
        box.addEventListener("click", trusted(() => this.select(conv.key)));
        const alertId = `${conv.key}@${conv.escalation.raised_at}`;
        if (!this.knownAlerts.has(alertId)) {
          this.knownAlerts.add(alertId);
          box.classList.add("flash");
          if (Date.now() / 1000 - conv.escalation.raised_at < 60 * ALERT_DEDUPE_S) this.beep();
        }
        this.alerts.append(box);
      }
    }

    renderFollowups() {
      const items = Object.values((this.state && this.state.followups) || {})
        .sort((a, b) => (a.queued_at || 0) - (b.queued_at || 0));
      this.followupsBox.replaceChildren();
      if (!items.length) return;
      this.followupsBox.append(el("div", { class: "fu-title" }, `${t("followupsTitle")} (${items.length})`));
      for (const item of items) {
        const box = el("div", { class: "followup", "data-yww": "followup", "data-id": String(item.followup_id), "data-order": item.order_sn || "" });
        const head = el("div", { class: "fu-head" });
        head.append(el("strong", {}, chrome.i18n.getMessage(`plan_${item.plan}`) || item.plan), el("span", {}, " · "),
          el("bdi", { "data-yww": "followup-buyer" }, item.buyer_name || item.buyer_id || ""),
          el("span", {}, ` · ${t("followupOrder")} ${item.order_sn || ""}`));
        box.append(head, el("div", { class: "reason", "data-yww": "followup-reason" }, followupReason(item.reason)));
        box.append(el("div", { class: "msg", dir: "auto", "data-yww": "followup-text" }, item.text || ""));
        const actions = el("div", { class: "actions" });
        const send = el("button", { class: "primary", "data-yww": "followup-send" }, t("followupSend"));
        const dismiss = el("button", { "data-yww": "followup-dismiss" }, t("followupDismiss"));
        send.addEventListener("click", trusted(() => {
          send.disabled = true;
          this.actions.followupSend(item);
        }));
        dismiss.addEventListener("click", trusted(() => this.actions.followupDismiss(item)));
        actions.append(send, dismiss);
        box.append(actions);
        this.followupsBox.append(box);
      }
    }

    beep() {
      this.host.dataset.beeps = String(Number(this.host.dataset.beeps || 0) + 1);
      if (this.settings.sound === false) return;
      try {
        const ctx = new AudioContext();
        const osc = ctx.createOscillator();
        osc.frequency.value = 880;
        osc.connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 0.25);
      } catch {
        // Autoplay rules may block sound before the seller interacts; the visual alert stays.
      }
    }

    renderList() {
      const rows = this.conversations();
      this.list.replaceChildren();
      if (!rows.length) {
        this.list.append(el("div", { class: "empty" }, t("noConversations")));
        return;
      }
      if (!this.selected || !this.state.conversations[this.selected]) this.selected = rows[0].key;
      for (const conv of rows) {
        const row = el("div", { class: "row", role: "option", "data-yww": "row", "data-key": conv.key, "aria-selected": String(conv.key === this.selected) });
        row.append(el("bdi", { class: "name" }, conv.buyer_name || conv.conversation_id));
        const badges = el("div", { class: "badges" });
        if (conv.pillar) badges.append(el("span", { class: `badge pillar-${conv.pillar}`, "data-yww": "pillar" }, t(`pillar_${conv.pillar}`)));
        if (conv.intent) badges.append(el("span", { class: "badge", "data-yww": "intent" }, conv.intent));
        if (typeof conv.confidence === "number") badges.append(el("span", { class: "badge", "data-yww": "confidence" }, `${Math.round(conv.confidence * 100)}%`));
        if (conv.language) badges.append(el("span", { class: "badge", "data-yww": "language" }, conv.language));
        if (conv.mood) badges.append(el("span", { class: `badge mood-${conv.mood}`, "data-yww": "mood" }, t(`mood_${conv.mood}`)));
        if (conv.escalation) badges.append(el("span", { class: "badge escalated" }, t("escalated")));
        row.append(badges);
        row.addEventListener("click", trusted(() => this.select(conv.key)));
        this.list.append(row);
      }
    }

    select(key) {
      this.selected = key;
      this.renderList();
      this.renderDetail();
    }

    renderDetail() {
      const conv = this.state && this.state.conversations[this.selected];
      if (!conv) {
        this.detail.replaceChildren();
        this.draftFor = null;
        return;
      }
      const suggestion = conv.suggestion;
      const draftId = `${conv.key}|${suggestion ? suggestion.id : ""}`;
      const keepDraft = this.draftFor === draftId && this.draft;
      const draftValue = keepDraft ? this.draft.value : (suggestion ? suggestion.text : "");
      this.detail.replaceChildren();
      for (const message of conv.messages || []) this.detail.append(el("div", { class: "msg", dir: "auto", "data-yww": "buyer-message" }, message.text));
      if (suggestion) {
        this.detail.append(el("div", { class: "reason" }, t("suggestedReply")));
        this.draft = el("textarea", { "data-yww": "draft", dir: "auto" });
        this.draft.value = draftValue;
        this.detail.append(this.draft);
        this.detail.append(el("div", { class: "reason", "data-yww": "reason" }, reasonText(suggestion)));
      } else {
        this.draft = null;
      }
      this.draftFor = draftId;
      const actions = el("div", { class: "actions" });
      const button = (key, name, handler, primary = false) => {
        const b = el("button", { "data-yww": name, class: primary ? "primary" : "" }, t(key));
        b.addEventListener("click", trusted(() => handler(conv)));
        actions.append(b);
      };
      if (suggestion) {
        button("insert", "insert", (c) => this.actions.insert(c, this.draft.value));
        // A page claim has no API conversation to send into: the seller sends it in the page.
        if (conv.source !== "page") button("approveSend", "send", (c) => this.actions.send(c, this.draft.value), true);
        button("dismiss", "dismiss", (c) => this.actions.dismiss(c));
      }
      if (conv.escalation) button("release", "release", (c) => this.actions.release(c));
      this.detail.append(actions);
    }

    askReplace(conv, text) {
      const b = el("button", { "data-yww": "replace" }, t("replaceText"));
      b.addEventListener("click", trusted(() => this.actions.insert(conv, text, { replace: true })));
      this.toastBox.replaceChildren(el("span", {}, `${t("composerHasText")} `), b);
    }

    tick() {
      for (const node of this.root.querySelectorAll("[data-yww=countdown]")) {
        node.textContent = countdown(Number(node.dataset.deadline));
      }
    }
  }

  globalThis.yiwaiwaiOverlay = Object.freeze({ Overlay });
})();
