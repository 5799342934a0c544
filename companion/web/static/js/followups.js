// Follow-ups (companion/web/routes_followups.py): what is due, the queue a person sends
// with one click (editable text) or dismisses, what was sent and skipped with the reason,
// whether sent follow-ups pay off (buyer replies, repurchases), and the per-plan settings.

import { query } from "./api.js";
import { buyerText, h, mount } from "./dom.js";
import { LANGS, ORDER_STATUSES } from "./vocab.js";

const BASE = "/api/v1/followups";
const PLANS = ["review_request", "repurchase_voucher", "delay_apology"];
const VARIABLES = {
  review_request: ["order_sn", "shop_name", "item_name"],
  delay_apology: ["order_sn", "shop_name", "item_name"],
  repurchase_voucher: ["order_sn", "shop_name", "item_name", "voucher_code", "discount", "min_spend", "valid_until"],
};
const PROBLEM_STATES = ["skipped", "failed", "unknown"];
const MAX_TEXT = 600;
const pct = (value) => (value == null ? "—" : `${Math.round(value * 1000) / 10}%`);
const enc = encodeURIComponent;

function when(t, seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString(t.lang) : "—";
}

function planName(t, plan) {
  return t.has(`fu.plan.${plan}`) ? t(`fu.plan.${plan}`) : plan;
}

/** A stored reason code (`code` or `code:detail`) in the page language. */
export function reasonText(t, reason) {
  if (!reason) return "";
  const [code, ...rest] = String(reason).split(":");
  const detail = rest.join(":");
  if (t.has(`fu.reason.${code}`)) return t(`fu.reason.${code}`, { detail });
  const status = code.startsWith("order_") ? code.slice(6).toUpperCase() : "";
  if (ORDER_STATUSES.includes(status)) return t("fu.reason.order_status", { status: t(`status.${status}`) });
  return reason;
}

function reasonCell(t, reason, tag = "span") {
  return h(tag, { class: "fu-reason", dataset: { reason: reason || "" }, title: reason || "" }, reasonText(t, reason));
}

function followupsApi(api) {
  return {
    list: (params) => api.get(`${BASE}${query({ limit: 200, ...params })}`),
    metrics: (shopId) => api.get(`${BASE}/metrics${query({ shop_id: shopId })}`),
    settings: (shopId) => api.get(`${BASE}/settings${query({ shop_id: shopId })}`),
    saveSettings: (body) => api.put(`${BASE}/settings`, body),
    send: (id, text) => api.post(`${BASE}/${enc(id)}/send`, { text }),
    dismiss: (id) => api.post(`${BASE}/${enc(id)}/dismiss`, {}),
    run: () => api.post(`${BASE}/run`, {}),
  };
}

// --- outcomes --------------------------------------------------------------------------------

function metricsCard(t, metrics) {
  const counts = metrics.counts || {};
  const outcomes = metrics.outcomes || {};
  const count = (plan, ...states) => states.reduce((sum, s) => sum + ((counts[plan] || {})[s] || 0), 0);
  return h("div", { class: "card", dataset: { role: "fu-metrics" } },
    h("h2", {}, t("fu.metrics.title")),
    h("p", { class: "small muted" }, t("fu.metrics.hint")),
    h("table", {},
      h("thead", {}, h("tr", {}, ["fu.col.plan", "fu.metrics.scheduled", "fu.metrics.queued", "fu.metrics.sent",
        "fu.metrics.reply_rate", "fu.metrics.repurchase_rate", "fu.metrics.skipped"].map((key) => h("th", {}, t(key))))),
      h("tbody", {}, PLANS.map((plan) => {
        const out = outcomes[plan] || {};
        return h("tr", { dataset: { plan } },
          h("td", {}, planName(t, plan)),
          h("td", {}, String(count(plan, "scheduled"))),
          h("td", { dataset: { role: "queued-count" } }, String(count(plan, "queued"))),
          h("td", { dataset: { role: "sent-count" } }, String(out.sent || 0)),
          h("td", { dataset: { role: "reply-rate" } }, pct(out.reply_rate),
            h("span", { class: "small muted" }, ` ${t("fu.metrics.of", { n: out.replied || 0, total: out.sent || 0 })}`)),
          h("td", { dataset: { role: "repurchase-rate" } }, pct(out.repurchase_rate),
            h("span", { class: "small muted" }, ` ${t("fu.metrics.of", { n: out.repurchased || 0, total: out.sent || 0 })}`)),
          h("td", {}, String(count(plan, ...PROBLEM_STATES))));
      }))));
}

// --- the queue -------------------------------------------------------------------------------

function queueItem(t, ctx, fu, reload) {
  const text = h("textarea", { rows: 3, dir: "auto", maxlength: MAX_TEXT, dataset: { role: "fu-text" }, value: fu.text || "" });
  const left = h("span", { class: "small muted" });
  const send = h("button", { type: "button", class: "primary", dataset: { role: "fu-send" } }, t("fu.queue.send"));
  const dismiss = h("button", { type: "button", dataset: { role: "fu-dismiss" } }, t("fu.queue.dismiss"));
  const item = h("div", { class: "fu-item", dataset: { followupId: fu.id, orderSn: fu.order_sn, plan: fu.plan, state: fu.state } },
    h("div", { class: "row spread" },
      h("div", { class: "row" }, h("span", { class: "pill" }, planName(t, fu.plan)),
        h("span", {}, t("fu.col.order"), " ", h("span", { class: "mono" }, fu.order_sn)),
        h("span", { class: "small muted" }, t("fu.col.buyer"), " ", h("span", { class: "mono" }, fu.buyer_id)),
        fu.language ? h("span", { class: "pill grey" }, t.has(`lang.${fu.language}`) ? t(`lang.${fu.language}`) : fu.language) : null,
        fu.voucher_code ? h("span", { class: "pill grey" }, t("fu.queue.voucher", { code: fu.voucher_code })) : null),
      h("span", { class: "small muted" }, when(t, fu.updated_at))),
    h("div", { class: "fu-why" }, h("strong", {}, t("fu.queue.why")), " ", reasonCell(t, fu.reason)),
    text,
    h("div", { class: "row" }, send, dismiss, left));
  const counter = () => { left.textContent = t("fu.queue.chars", { n: text.value.length, max: MAX_TEXT }); };
  text.addEventListener("input", counter);
  counter();

  async function act(kind) {
    const body = text.value.trim();
    if (kind === "send" && !body) {
      ctx.toast(t("fu.queue.empty_text"), "error");
      return;
    }
    send.disabled = true;
    dismiss.disabled = true;
    item.dataset.state = kind === "send" ? "sending" : "dismissing";
    try {
      const row = kind === "send" ? await ctx.followups.send(fu.id, body) : await ctx.followups.dismiss(fu.id);
      item.dataset.state = row.state;
      ctx.toast(row.state === "sent" ? t("fu.queue.sent") : row.state === "skipped" ? t("fu.queue.dismissed")
        : t("fu.queue.not_sent", { reason: reasonText(t, row.reason) }), row.state === "sent" || row.state === "skipped" ? "ok" : "error");
    } catch (error) {
      item.dataset.state = "error";
      const reason = error && error.code && t.has(`fu.reason.${error.code}`) ? reasonText(t, error.code) : null;
      ctx.toast(reason ? t("fu.queue.refused", { reason }) : ctx.errorText(error), "error");
    }
    await reload();
  }
  send.addEventListener("click", () => act("send"));
  dismiss.addEventListener("click", () => act("dismiss"));
  return item;
}

function queueCard(t, ctx, rows, reload) {
  return h("div", { class: "card", dataset: { role: "fu-queue" } },
    h("h2", {}, t("fu.queue.title", { n: rows.length })),
    h("p", { class: "small muted" }, t("fu.queue.hint")),
    rows.length ? rows.map((fu) => queueItem(t, ctx, fu, reload)) : h("p", { class: "muted" }, t("fu.queue.empty")));
}

// --- due, sent, skipped ----------------------------------------------------------------------

function table(role, title, empty, headers, rows) {
  return h("div", { class: "card", dataset: { role } }, h("h2", {}, title),
    rows.length ? h("table", {}, h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))), h("tbody", {}, rows))
      : h("p", { class: "muted" }, empty));
}

function dueCard(t, rows) {
  const sorted = [...rows].sort((a, b) => a.next_check_at - b.next_check_at);
  return table("fu-due", t("fu.due.title", { n: sorted.filter((r) => r.due).length, total: sorted.length }), t("fu.due.empty"),
    [t("fu.col.plan"), t("fu.col.order"), t("fu.col.due"), t("fu.col.note")],
    sorted.map((fu) => h("tr", { dataset: { followupId: fu.id, orderSn: fu.order_sn, due: fu.due ? "yes" : "no" } },
      h("td", {}, planName(t, fu.plan)), h("td", { class: "mono" }, fu.order_sn),
      h("td", {}, when(t, fu.next_check_at), " ", fu.due ? h("span", { class: "pill warn" }, t("fu.due.now")) : null),
      h("td", {}, fu.reason ? [t("fu.due.waiting"), " ", reasonCell(t, fu.reason)] : null))));
}

function sentCard(t, rows) {
  return table("fu-sent", t("fu.sent.title", { n: rows.length }), t("fu.sent.empty"),
    [t("fu.col.plan"), t("fu.col.order"), t("fu.col.sent_at"), t("fu.col.by"), t("fu.col.text"), t("fu.col.outcome")],
    rows.map((fu) => h("tr", { dataset: { followupId: fu.id, orderSn: fu.order_sn } },
      h("td", {}, planName(t, fu.plan)), h("td", { class: "mono" }, fu.order_sn),
      h("td", {}, when(t, fu.sent_at)),
      h("td", {}, t(fu.sent_by === "auto" ? "fu.sent.by_auto" : "fu.sent.by_person")),
      h("td", { class: "fu-text" }, buyerText(fu.text || "", "span")),
      h("td", {}, fu.replied_at ? h("div", { class: "pill" }, t("fu.sent.replied", { when: when(t, fu.replied_at) })) : h("div", { class: "small muted" }, t("fu.sent.no_reply")),
        fu.repurchase_order_sn ? h("div", { class: "pill" }, t("fu.sent.repurchased", { order: fu.repurchase_order_sn })) : null))));
}

function skippedCard(t, rows) {
  const sorted = [...rows].sort((a, b) => b.updated_at - a.updated_at);
  return table("fu-skipped", t("fu.skipped.title", { n: sorted.length }), t("fu.skipped.empty"),
    [t("fu.col.plan"), t("fu.col.order"), t("fu.col.when"), t("fu.col.state"), t("fu.col.reason")],
    sorted.map((fu) => h("tr", { dataset: { followupId: fu.id, orderSn: fu.order_sn, state: fu.state } },
      h("td", {}, planName(t, fu.plan)), h("td", { class: "mono" }, fu.order_sn), h("td", {}, when(t, fu.updated_at)),
      h("td", {}, h("span", { class: fu.state === "skipped" ? "pill grey" : "pill bad" }, t(`fu.state.${fu.state}`))),
      h("td", {}, reasonCell(t, fu.reason)))));
}

// --- settings --------------------------------------------------------------------------------

function insertAt(textarea, text) {
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
  textarea.selectionStart = textarea.selectionEnd = start + text.length;
  textarea.focus();
  textarea.dispatchEvent(new Event("input"));
}

function templatesEditor(t, plan, draft) {
  const root = h("div", { class: "templates" });
  let active = LANGS.includes(t.lang) && draft.templates[t.lang] ? t.lang : "en";
  function render() {
    const textarea = h("textarea", {
      class: "template", rows: 3, dir: "auto", dataset: { lang: active, role: "fu-template" },
      value: draft.templates[active] || "", placeholder: t("fu.settings.template_hint"),
      oninput: (e) => { draft.templates[active] = e.target.value; },
    });
    const tabs = LANGS.map((lang) => h("button", {
      type: "button", class: lang === active ? "active" : "", dataset: { lang },
      onclick: () => { active = lang; render(); },
    }, t(`lang.${lang}`), draft.templates[lang] ? " ●" : ""));
    const picker = VARIABLES[plan].map((name) => h("button", {
      type: "button", title: t(`fu.var.${name}`), dataset: { variable: name },
      onclick: () => insertAt(textarea, `{${name}}`),
    }, `{${name}}`));
    mount(root, h("div", { class: "tpl-tabs" }, tabs),
      h("div", { class: "small muted" }, t("fu.settings.variables")),
      h("div", { class: "placeholders" }, picker), textarea);
  }
  render();
  return root;
}

function numberField(label, value, attrs, onInput) {
  return h("label", { class: "field" }, h("span", {}, label),
    h("input", { type: "number", value: String(value), ...attrs, oninput: (e) => onInput(e.target.value) }));
}

function planEditor(t, name, draft) {
  const enabled = h("input", { type: "checkbox", name: "enabled", checked: draft.enabled, onchange: (e) => { draft.enabled = e.target.checked; } });
  const mode = h("select", { name: "send_mode", onchange: (e) => { draft.send_mode = e.target.value; } },
    ["person", "auto"].map((m) => h("option", { value: m, selected: m === draft.send_mode }, t(`fu.settings.mode.${m}`))));
  return h("fieldset", { class: "fu-plan", dataset: { plan: name } },
    h("legend", {}, planName(t, name)),
    h("p", { class: "small muted" }, t(`fu.plan_hint.${name}`)),
    h("div", { class: "row" },
      h("label", {}, enabled, " ", t("fu.settings.enabled")),
      numberField(t("fu.settings.delay_hours"), draft.delay_hours, { name: "delay_hours", min: 0, max: 2160, step: 1 },
        (v) => { draft.delay_hours = v === "" ? NaN : Number(v); }),
      h("label", { class: "field" }, h("span", {}, t("fu.settings.send_mode")), mode)),
    name === "repurchase_voucher" ? h("p", { class: "small muted" }, t("fu.settings.voucher_note")) : null,
    templatesEditor(t, name, draft));
}

function settingsBody(shopId, draft) {
  const plans = {};
  for (const name of PLANS) {
    const plan = draft.plans[name];
    const templates = {};
    for (const [lang, text] of Object.entries(plan.templates)) if (text && text.trim()) templates[lang] = text;
    plans[name] = { enabled: plan.enabled, delay_hours: plan.delay_hours, send_mode: plan.send_mode, templates };
  }
  const body = { shop_id: shopId, plans };
  for (const key of ["quiet_start_hour", "quiet_end_hour", "cap_per_buyer", "cap_window_days"]) body[key] = draft[key];
  return body;
}

function settingsCard(t, ctx, shopId, loaded, onSaved) {
  const draft = JSON.parse(JSON.stringify(loaded.settings));
  const errors = h("div", { class: "errors", dataset: { role: "fu-settings-errors" } });
  const shopWide = (key, attrs) => numberField(t(`fu.settings.${key}`), draft[key], { name: key, step: 1, ...attrs },
    (v) => { draft[key] = v === "" ? NaN : Number(v); });
  const save = h("button", { type: "button", class: "primary", dataset: { role: "fu-save" } }, t("fu.settings.save"));
  save.addEventListener("click", async () => {
    mount(errors);
    save.disabled = true;
    try {
      await ctx.followups.saveSettings(settingsBody(shopId, draft));
      ctx.toast(t("fu.settings.saved"), "ok");
      await onSaved();
    } catch (error) {
      mount(errors, ctx.errorText(error),
        (error.details || []).map((d) => h("div", { class: "small" }, `${d.field}: ${d.problem}`)));
      save.disabled = false;
    }
  });
  return h("div", { class: "card", dataset: { role: "fu-settings" } },
    h("h2", {}, t("fu.settings.title")),
    h("p", { class: "small muted" }, t("fu.settings.hint")),
    PLANS.filter((name) => draft.plans[name]).map((name) => planEditor(t, name, draft.plans[name])),
    h("fieldset", { class: "fu-plan", dataset: { role: "fu-shop-wide" } },
      h("legend", {}, t("fu.settings.shop_wide")),
      h("div", { class: "row" },
        shopWide("quiet_start_hour", { min: 0, max: 23 }), shopWide("quiet_end_hour", { min: 0, max: 23 }),
        shopWide("cap_per_buyer", { min: 1, max: 10 }), shopWide("cap_window_days", { min: 1, max: 90 })),
      h("p", { class: "small muted" }, t("fu.settings.quiet_hint"))),
    errors, h("div", { class: "row" }, save));
}

// --- the view --------------------------------------------------------------------------------

export async function renderFollowups(root, ctx, params = {}) {
  const t = ctx.t;
  ctx.followups = followupsApi(ctx.api);
  let health;
  try {
    health = await ctx.api.get("/api/v1/health");
  } catch (error) {
    mount(root, h("p", { class: "error" }, ctx.errorText(error)));
    return;
  }
  const shops = health.shops || [];
  const shopId = params.shop_id || (shops[0] && shops[0].shop_id) || "";
  const shopPicker = h("select", { dataset: { role: "shop" }, onchange: (e) => ctx.go("followups", { shop_id: e.target.value }) },
    shops.map((s) => h("option", { value: s.shop_id, selected: s.shop_id === shopId }, `${s.name} (${s.region})`)));
  const body = h("div", { dataset: { role: "fu-body" } }, h("p", { class: "muted" }, t("common.loading")));
  const settingsBox = h("div");
  const run = h("button", { type: "button", dataset: { role: "fu-run" } }, t("fu.run"));
  const refresh = h("button", { type: "button", dataset: { role: "fu-refresh" } }, t("dash.refresh"));
  mount(root,
    h("div", { class: "row spread card" },
      h("div", { class: "row" }, h("label", {}, t("dash.shop"), " ", shopPicker),
        h("span", { class: "small muted" }, t("fu.intro"))),
      h("div", { class: "row" }, refresh, run)),
    body, settingsBox);

  async function load() {
    root.dataset.loaded = "no";
    try {
      const list = (state) => ctx.followups.list({ shop_id: shopId, state }).then((r) => r.followups);
      const [queued, scheduled, sent, metrics, ...problems] = await Promise.all([
        list("queued"), list("scheduled"), list("sent"), ctx.followups.metrics(shopId), ...PROBLEM_STATES.map(list)]);
      mount(body, metricsCard(t, metrics), queueCard(t, ctx, queued, load), dueCard(t, scheduled),
        sentCard(t, sent), skippedCard(t, problems.flat()));
    } catch (error) {
      mount(body, h("p", { class: "error" }, ctx.errorText(error)));
    }
    root.dataset.loaded = "yes";
  }

  async function loadSettings() {
    try {
      mount(settingsBox, settingsCard(t, ctx, shopId, await ctx.followups.settings(shopId), async () => { await loadSettings(); await load(); }));
    } catch (error) {
      mount(settingsBox, h("p", { class: "error" }, ctx.errorText(error)));
    }
  }

  refresh.addEventListener("click", load);
  run.addEventListener("click", async () => {
    run.disabled = true;
    try {
      const report = await ctx.followups.run();
      ctx.toast(t("fu.ran", { scheduled: report.scheduled, evaluated: report.evaluated }), report.errors.length ? "error" : "ok");
    } catch (error) {
      ctx.toast(ctx.errorText(error), "error");
    }
    run.disabled = false;
    await load();
  });
  await Promise.all([load(), loadSettings()]);
}
