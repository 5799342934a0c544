// The rule editor view: the ordered rule list (enable / disable, move up / down), the
// form, import / export of packs, the change history with undo, and backtest results.

import { buyerText, download, h, mount } from "./dom.js";
import { intentName } from "./i18n.js";
import { newDraft, ruleBody, ruleForm } from "./rule_form.js";
import { rulesApi } from "./rules_api.js";

const asList = (body) => (Array.isArray(body) ? body : body.rules || []);

export async function renderRules(root, ctx, params = {}) {
  const t = ctx.t;
  ctx.rules = rulesApi(ctx.api);
  const list = h("ul", { class: "rule-list", dataset: { role: "rule-list" } });
  const editor = h("div", { dataset: { role: "editor" } });
  const history = h("div", { class: "card", dataset: { role: "history" } });
  const backtest = h("div", { class: "card", dataset: { role: "backtest" }, hidden: true });
  const fileInput = h("input", { type: "file", accept: "application/json,.json", hidden: true });
  const state = { rules: [], selected: null, shops: [], placeholders: null };

  mount(root, h("div", { class: "rules-layout" },
    h("div", {},
      h("div", { class: "card" },
        h("div", { class: "row spread" }, h("h2", {}, t("rules.title")),
          h("button", { type: "button", class: "primary", dataset: { role: "new-rule" }, onclick: () => edit(null) }, t("rules.new"))),
        h("p", { class: "small muted" }, t("rules.order_hint")),
        list,
        h("div", { class: "row" },
          h("button", { type: "button", onclick: exportPack }, t("rules.export")),
          h("button", { type: "button", onclick: () => fileInput.click() }, t("rules.import")),
          h("button", { type: "button", dataset: { role: "run-backtest" }, onclick: runBacktest }, t("rules.backtest")),
          fileInput)),
      history),
    h("div", {}, editor, backtest)));

  fileInput.addEventListener("change", importPack);

  async function load() {
    try {
      const [rules, health] = await Promise.all([ctx.rules.list(), ctx.api.get("/api/v1/health")]);
      state.rules = asList(rules);
      state.shops = health.shops || [];
    } catch (error) {
      ctx.toast(ctx.errorText(error), "error");
    }
    drawList();
    await loadHistory();
  }

  function drawList() {
    mount(list, state.rules.map((rule, index) => h("li", {
      class: `rule-item${rule.enabled ? "" : " disabled"}${state.selected === rule.id ? " selected" : ""}`,
      dataset: { ruleId: rule.id },
    },
    h("input", { type: "checkbox", checked: rule.enabled, title: t("rules.toggle"), onchange: (e) => toggle(rule, e.target.checked) }),
    h("span", { class: "name", title: rule.name, onclick: () => edit(rule) }, rule.name),
    h("span", { class: "pill grey" }, t(`action.${rule.action}`)),
    rule.shadow ? h("span", { class: "pill warn" }, t("rule.shadow_short")) : null,
    h("span", { class: "small muted", title: t("rule.priority") }, String(rule.priority)),
    h("button", { type: "button", class: "move", title: t("rules.up"), disabled: index === 0, onclick: () => move(index, -1) }, "↑"),
    h("button", { type: "button", class: "move", title: t("rules.down"), disabled: index === state.rules.length - 1, onclick: () => move(index, 1) }, "↓"))));
    if (!state.rules.length) mount(list, h("li", { class: "muted" }, t("rules.empty")));
  }

  function edit(rule, prefill) {
    state.selected = rule ? rule.id : null;
    drawList();
    const draft = rule ? structuredClone({ ...newDraft(), ...rule }) : newDraft(prefill);
    mount(editor, ruleForm(t, ctx, draft, {
      isNew: !rule, shops: state.shops, placeholders: state.placeholders, saved: state.rules,
      onSave: async (body) => {
        const saved = rule ? await ctx.rules.update(rule.id, body) : await ctx.rules.create(body);
        ctx.toast(t("rules.saved"), "ok");
        await load();
        edit(state.rules.find((r) => r.id === saved.id) || saved);
      },
      onDelete: rule ? async () => {
        if (!confirm(t("rules.confirm_delete", { name: rule.name }))) return;
        await guarded(() => ctx.rules.remove(rule.id), t("rules.deleted"));
        mount(editor);
      } : null,
    }));
  }

  async function guarded(work, okText) {
    try {
      await work();
      if (okText) ctx.toast(okText, "ok");
    } catch (error) {
      ctx.toast(ctx.errorText(error), "error");
    }
    await load();
  }

  const toggle = (rule, enabled) => guarded(() => ctx.rules.setEnabled(rule.id, enabled));

  function move(index, step) {
    const ids = state.rules.map((r) => r.id);
    [ids[index], ids[index + step]] = [ids[index + step], ids[index]];
    return guarded(() => ctx.rules.reorder(ids));
  }

  async function exportPack() {
    try {
      const pack = await ctx.rules.exportPack();
      download(`yiwaiwai-rules-${new Date().toISOString().slice(0, 10)}.json`, JSON.stringify(pack.pack || pack, null, 2));
    } catch (error) {
      ctx.toast(ctx.errorText(error), "error");
    }
  }

  async function importPack() {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    let pack;
    try {
      pack = JSON.parse(await file.text());
    } catch {
      ctx.toast(t("rules.bad_file"), "error");
      return;
    }
    const mode = confirm(t("rules.import_replace")) ? "replace" : "merge";
    await guarded(() => ctx.rules.importPack(pack, mode), t("rules.imported"));
  }

  async function loadHistory() {
    let entries = [];
    try {
      const body = await ctx.rules.history();
      entries = Array.isArray(body) ? body : body.history || body.changes || [];
    } catch (error) {
      mount(history, h("h2", {}, t("history.title")), h("p", { class: "error" }, ctx.errorText(error)));
      return;
    }
    mount(history, h("h2", {}, t("history.title")),
      entries.length ? h("table", {}, h("tbody", {}, entries.slice(0, 20).map((entry) => h("tr", { dataset: { seq: entry.seq, op: entry.op } },
        h("td", { class: "small muted" }, new Date(entry.at).toLocaleString(t.lang)),
        h("td", {}, t.has(`history.op.${entry.op}`) ? t(`history.op.${entry.op}`) : entry.op, " ", h("span", { class: "small muted" }, entry.summary || "")),
        h("td", {}, entry.undone_by || entry.op === "undo" ? null : h("button", { type: "button", class: "link", dataset: { role: "undo" },
          onclick: () => guarded(() => ctx.rules.undo(entry.seq), t("history.undone")) }, t("history.undo"))))))) : h("p", { class: "muted" }, t("history.empty")));
  }

  async function runBacktest() {
    backtest.hidden = false;
    mount(backtest, h("h2", {}, t("backtest.title")), h("p", { class: "muted" }, t("backtest.running")));
    const body = { limit: 1000, samples: 3 };
    try {
      showBacktest(await ctx.rules.backtest(body));
    } catch (error) {
      mount(backtest, h("h2", {}, t("backtest.title")), h("p", { class: "error" }, ctx.errorText(error)));
    }
  }

  function showBacktest(result) {
    const uncovered = Object.entries(result.uncovered || {});
    mount(backtest, h("h2", {}, t("backtest.title")),
      h("p", { dataset: { role: "backtest-summary" } }, t("backtest.summary", { total: result.total ?? 0, answered: result.covered ?? 0 })),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("backtest.rule")), h("th", {}, t("backtest.matches")), h("th", {}, t("backtest.samples")))),
        h("tbody", {}, (result.rules || []).filter((r) => r.answered).map((r) => h("tr", {},
          h("td", {}, r.name, r.enabled ? null : h("span", { class: "pill grey" }, t("backtest.disabled"))),
          h("td", {}, String(r.answered)),
          h("td", {}, r.samples.map((s) => h("div", { class: "small" }, buyerText(s.text), " → ", buyerText(s.reply || t(`action.${r.action}`))))))))),
      uncovered.length ? h("h3", {}, t("backtest.uncovered")) : null,
      uncovered.map(([intent, bucket]) => h("div", { class: "message" }, h("span", { class: "pill grey" }, intentName(t, intent)), ` ×${bucket.count} `,
        bucket.samples.map((text) => h("div", { class: "small" }, buyerText(text))))));
  }

  await load();
  if (params.prefill) edit(null, params.prefill);
}

export { ruleBody };
