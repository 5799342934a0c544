// One rule's form: name, action, the condition builder, templates per language with a
// placeholder picker, and a live preview through the dry run (POST /api/v1/rules/test).

import { cleanWhen, conditionBuilder } from "./conditions.js";
import { buyerText, h, mount } from "./dom.js";
import { intentName } from "./i18n.js";
import { withDraft } from "./rules_api.js";
import { ACTIONS, LANGS, PLACEHOLDERS } from "./vocab.js";

/** A new rule's priority, as the server's NEW_RULE_PRIORITY (companion/rules/repository.py):
 * above the default packs' generic answers and the `other` catch-all (100), below their
 * cancellations and escalations. */
export const NEW_RULE_PRIORITY = 650;

/** A fresh draft, optionally prefilled (from an unanswered-messages group). */
export function newDraft(prefill = {}) {
  return {
    id: "", name: prefill.name || "", description: prefill.description || "", enabled: true,
    shadow: true, priority: NEW_RULE_PRIORITY, action: prefill.action || "suggest",
    when: prefill.when || {}, templates: prefill.templates || {}, add_tags: [],
    on_missing_data: "suggest", allow_urls: false, order_note: null,
  };
}

/** A short random tail that keeps ids from one name apart. */
export function idTail() {
  return Math.random().toString(36).slice(2, 7).padEnd(5, "0");
}

/** A rule id from its name: lowercase ascii slug plus the tail. */
export function slugFor(name, tail = idTail()) {
  const slug = name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  return `${slug || "rule"}-${tail}`;
}

/** The draft as the API wants it (empty conditions and fields dropped). */
export function ruleBody(draft) {
  const body = {
    id: draft.id, name: draft.name, description: draft.description,
    enabled: draft.enabled, shadow: draft.shadow, priority: Number(draft.priority),
    when: cleanWhen(draft.when), action: draft.action, on_missing_data: draft.on_missing_data,
    allow_urls: draft.allow_urls, add_tags: draft.add_tags || [],
    templates: Object.fromEntries(Object.entries(draft.templates).filter(([, text]) => text && text.trim())),
  };
  if (draft.action === "set_order_note") body.order_note = draft.order_note || "";
  return body;
}

function field(label, control) {
  return h("label", { class: "field" }, h("span", {}, label), control);
}

function insertAt(textarea, text) {
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
  textarea.selectionStart = textarea.selectionEnd = start + text.length;
  textarea.focus();
  textarea.dispatchEvent(new Event("input"));
}

function templatesEditor(t, draft, placeholders, changed) {
  const root = h("div", { class: "templates" });
  let active = Object.keys(draft.templates)[0] || (LANGS.includes(t.lang) ? t.lang : "en");
  function render() {
    const textarea = h("textarea", {
      class: "template", rows: 4, dir: "auto", dataset: { lang: active },
      value: draft.templates[active] || "", placeholder: t("rule.template_hint"),
      oninput: (e) => { draft.templates[active] = e.target.value; changed(); },
    });
    const tabs = LANGS.map((lang) => h("button", {
      type: "button", class: lang === active ? "active" : "", dataset: { lang },
      onclick: () => { active = lang; render(); },
    }, t(`lang.${lang}`), draft.templates[lang] ? " ●" : ""));
    const picker = placeholders.map((name) => h("button", {
      type: "button", title: t(`ph.${name}`), dataset: { placeholder: name },
      onclick: () => insertAt(textarea, `{{${name}}}`),
    }, `{{${name}}}`));
    mount(root, h("div", { class: "tpl-tabs" }, tabs),
      h("div", { class: "small muted" }, t("rule.placeholders")),
      h("div", { class: "placeholders" }, picker), textarea);
  }
  render();
  return root;
}

function previewPanel(t, ctx, shops, getRules, ownId) {
  const text = h("input", { type: "text", class: "wide", dir: "auto", placeholder: t("preview.message_hint"), dataset: { role: "preview-text" } });
  const order = h("input", { type: "text", placeholder: t("preview.order_hint") });
  const shop = h("select", {}, shops.map((s) => h("option", { value: s.shop_id }, `${s.name} (${s.region})`)));
  const out = h("div", { class: "preview none", dataset: { role: "preview" } }, t("preview.empty"));
  let timer = null;
  async function run() {
    if (!text.value.trim()) { mount(out, t("preview.empty")); out.className = "preview none"; return; }
    const body = { text: text.value, shop_id: shop.value || undefined, order_sn: order.value.trim() || undefined, rules: getRules() };
    try {
      const result = await ctx.rules.test(body);
      showPreview(t, out, result, ownId());
    } catch (error) {
      out.className = "preview none";
      mount(out, h("span", { class: "error" }, ctx.errorText(error)));
    }
  }
  const schedule = () => { clearTimeout(timer); timer = setTimeout(run, 350); };
  for (const el of [text, order]) el.addEventListener("input", schedule);
  shop.addEventListener("change", schedule);
  const panel = h("div", { class: "card" }, h("h3", {}, t("preview.title")),
    h("div", { class: "row" }, text, order, shop), out);
  return { panel, refresh: schedule };
}

function showPreview(t, out, result, ownId) {
  const matched = result.rule_id && result.rule_id === ownId;
  out.className = result.reply ? "preview" : "preview none";
  out.dataset.ruleId = result.rule_id || "";
  const reasons = (result.reasons || []).filter((r) => r.rule_id === ownId || r.matched)
    .map((r) => `${r.matched ? "✓" : "✗"} ${r.rule_id}: ${r.why || r.condition || ""}`);
  mount(out,
    h("div", { class: "small muted" },
      t("preview.understood", { intent: intentName(t, result.intent || "other"), confidence: Math.round((result.confidence || 0) * 100) })),
    h("div", {}, h("span", { class: matched ? "pill" : "pill grey" }, result.rule_id ? t("preview.rule", { rule: result.rule_id }) : t("preview.no_rule")),
      " ", h("span", { class: "pill grey" }, t(`action.${result.action || "none"}`))),
    result.reply ? h("p", { dataset: { role: "preview-reply" } }, buyerText(result.reply, "span")) : h("p", { class: "muted" }, t("preview.no_reply")),
    reasons.length ? h("ul", { class: "small muted" }, reasons.map((r) => h("li", {}, r))) : null);
}

/** Build the form; `onSave(body)` is awaited; returns the root element. */
export function ruleForm(t, ctx, draft, { isNew, shops, placeholders, saved, onSave, onDelete }) {
  const errors = h("div", { class: "errors", dataset: { role: "form-errors" } });
  // A new rule's id follows its name as it is typed (it is fixed once saved).
  const tail = idTail();
  let root = null;
  function deriveId() {
    if (!isNew) return;
    draft.id = slugFor(draft.name || "", tail);
    if (root) root.dataset.ruleId = draft.id;
  }
  deriveId();
  const editedId = isNew ? null : draft.id;
  const preview = previewPanel(t, ctx, shops, () => withDraft(saved || [], ruleBody(draft), editedId), () => draft.id);
  const changed = () => preview.refresh();
  const input = (key, attrs = {}, after = null) => h("input", { type: "text", value: draft[key] ?? "", ...attrs,
    oninput: (e) => { draft[key] = attrs.type === "number" ? Number(e.target.value) : e.target.value; if (after) after(); changed(); } });
  const check = (key) => h("input", { type: "checkbox", checked: !!draft[key], onchange: (e) => { draft[key] = e.target.checked; changed(); } });
  const action = h("select", { name: "action", onchange: (e) => { draft.action = e.target.value; extra(); changed(); } },
    ACTIONS.map((a) => h("option", { value: a, selected: a === draft.action }, t(`action.${a}`))));
  const extras = h("div");
  function extra() {
    mount(extras,
      draft.action === "set_order_note" ? field(t("rule.order_note"), input("order_note")) : null,
      draft.action === "tag" ? field(t("rule.add_tags"), h("input", { type: "text", value: (draft.add_tags || []).join(", "),
        oninput: (e) => { draft.add_tags = e.target.value.split(",").map((s) => s.trim()).filter(Boolean); changed(); } })) : null);
  }
  extra();
  async function save() {
    mount(errors);
    deriveId();
    try {
      await onSave(ruleBody(draft));
    } catch (error) {
      const details = Array.isArray(error.details) ? error.details.map((d) => `${d.field}: ${d.problem}`) : [];
      mount(errors, h("div", {}, ctx.errorText(error)), details.map((d) => h("div", { class: "small" }, d)));
    }
  }
  root = h("div", { class: "rule-form", dataset: { ruleId: draft.id || "" } },
    h("div", { class: "card" },
      h("div", { class: "row spread" }, h("h2", {}, isNew ? t("rule.new") : t("rule.edit")),
        h("div", { class: "row" },
          onDelete ? h("button", { type: "button", class: "danger", onclick: onDelete }, t("rule.delete")) : null,
          h("button", { type: "button", class: "primary", dataset: { role: "save" }, onclick: save }, t("rule.save")))),
      errors,
      h("div", { class: "grid2" },
        field(t("rule.name"), input("name", { name: "name", maxlength: 120 }, deriveId)),
        field(t("rule.action"), action)),
      field(t("rule.description"), input("description", { maxlength: 500 })),
      h("div", { class: "row" },
        h("label", {}, check("enabled"), " ", t("rule.enabled")),
        h("label", {}, check("shadow"), " ", t("rule.shadow")),
        h("label", {}, check("allow_urls"), " ", t("rule.allow_urls")),
        h("label", {}, t("rule.priority"), " ", input("priority", { type: "number", min: 0, max: 1000 }))),
      extras,
      h("h3", {}, t("rule.conditions")),
      conditionBuilder(t, draft.when, changed),
      h("h3", {}, t("rule.templates")),
      templatesEditor(t, draft, placeholders || PLACEHOLDERS, changed)),
    preview.panel);
  return root;
}
