// The rule editor view: the rule list in evaluation order (enable / disable, move up /
// down: moving changes what is evaluated first, see RuleRepository.reorder), the form
// (or a short guide while no rule is chosen), import / export of packs with an explicit
// replace / merge choice, the change history with undo, and backtest results.

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
  const importPanel = h("div", { class: "card", dataset: { role: "import" }, hidden: true });
  const state = { rules: [], selected: null, shops: [], placeholders: null, editing: null };
  // What to reopen when the view is drawn again (a language switch): the open form, as typed.
  ctx.snapshot = () => (state.editing ? { editing: { ruleId: state.editing.ruleId, draft: structuredClone(state.editing.draft) } } : {});

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
          fileInput),
        importPanel),
      history),
    h("div", {}, editor, backtest)));
  showEmptyEditor();

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
    h("input", { type: "checkbox", class: "toggle", checked: rule.enabled, title: t("rules.toggle"), "aria-label": t("rules.toggle"), onchange: (e) => toggle(rule, e.target.checked) }),
    h("button", { type: "button", class: "name", title: rule.name, onclick: () => edit(rule) }, rule.name),
    h("div", { class: "meta" },
      h("span", { class: "pill grey" }, t(`action.${rule.action}`)),
      rule.shadow ? h("span", { class: "pill warn", dataset: { role: "shadow" } }, t("rule.shadow_short")) : null,
      h("span", { class: "small muted", title: t("rules.priority_title", { n: rule.priority }) }, `#${index + 1} · ${rule.priority}`)),
    h("div", { class: "moves" },
      h("button", { type: "button", class: "move", title: t("rules.up"), "aria-label": t("rules.up"), disabled: index === 0, onclick: () => move(index, -1) }, "↑"),
      h("button", { type: "button", class: "move", title: t("rules.down"), "aria-label": t("rules.down"), disabled: index === state.rules.length - 1, onclick: () => move(index, 1) }, "↓")))));
    if (!state.rules.length) mount(list, h("li", { class: "muted" }, t("rules.empty")));
  }

  function showEmptyEditor() {
    state.editing = null;
    mount(editor, h("div", { class: "card empty-state", dataset: { role: "editor-empty" } },
      h("h2", {}, t("editor.empty_title")),
      h("p", { class: "muted" }, t("editor.empty_body")),
      h("button", { type: "button", class: "primary", onclick: () => edit(null) }, t("rules.new"))));
  }

  function edit(rule, prefill, kept) {
    state.selected = rule ? rule.id : null;
    drawList();
    const draft = kept || (rule ? structuredClone({ ...newDraft(), ...rule }) : newDraft(prefill));
    state.editing = { ruleId: rule ? rule.id : null, draft };
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
        state.selected = null;
        drawList();
        showEmptyEditor();
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

  /** Swap with the neighbour: the moved rule takes the neighbour's priority band when it differs. */
  function move(index, step) {
    const ids = state.rules.map((r) => r.id);
    const moved = ids[index];
    [ids[index], ids[index + step]] = [ids[index + step], ids[index]];
    return guarded(() => ctx.rules.reorder(ids, moved));
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
      pack = null;
    }
    if (!pack || typeof pack !== "object" || Array.isArray(pack)) {
      ctx.toast(t("rules.bad_file"), "error");
      return;
    }
    chooseImport(pack, file.name);
  }

  /** An explicit choice (replace / merge / cancel) instead of OK / Cancel meaning two things. */
  function chooseImport(pack, fileName) {
    const errors = h("div", { class: "errors", dataset: { role: "import-errors" } });
    const close = () => { importPanel.hidden = true; mount(importPanel); };
    const run = async (mode) => {
      mount(errors);
      try {
        await ctx.rules.importPack(pack, mode);
      } catch (error) {
        const details = Array.isArray(error.details) ? error.details : [];
        mount(errors, h("div", {}, details.length ? t("rules.import_invalid") : ctx.errorText(error)),
          details.length ? h("ul", {}, details.map((d) => h("li", { class: "small", dataset: { field: d.field } },
            h("span", { class: "mono" }, d.field), ": ", d.problem))) : null);
        return;
      }
      close();
      ctx.toast(t("rules.imported"), "ok");
      await load();
    };
    const count = Array.isArray(pack.rules) ? pack.rules.length : 0;
    importPanel.hidden = false;
    mount(importPanel,
      h("h2", {}, t("rules.import_title", { name: pack.name || fileName, count })),
      h("div", { class: "import-choice" },
        h("button", { type: "button", class: "danger", dataset: { role: "import-replace" }, onclick: () => run("replace") }, t("rules.import_replace")),
        h("span", { class: "small muted" }, t("rules.import_replace_hint"))),
      h("div", { class: "import-choice" },
        h("button", { type: "button", class: "primary", dataset: { role: "import-merge" }, onclick: () => run("merge") }, t("rules.import_merge")),
        h("span", { class: "small muted" }, t("rules.import_merge_hint"))),
      h("div", { class: "row" }, h("button", { type: "button", dataset: { role: "import-cancel" }, onclick: close }, t("rules.import_cancel"))),
      errors);
    importPanel.scrollIntoView({ block: "nearest" });
  }

  // The server's summary starts with the same verb ("reordered rules", "disabled x"): keep what follows.
  function historyDetail(entry) {
    const summary = entry.summary || "";
    const detail = summary.replace(/^(created|updated|deleted|disabled|enabled|reordered|imported|installed|import|install|undid)\b\s*/i, "");
    return detail === "rules" && entry.op === "reorder" ? "" : detail;
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
        h("td", {}, t.has(`history.op.${entry.op}`) ? t(`history.op.${entry.op}`) : entry.op, " ", h("span", { class: "small muted" }, historyDetail(entry))),
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
  if (params.editing) {
    const { ruleId, draft } = params.editing;
    edit(ruleId ? state.rules.find((r) => r.id === ruleId) || null : null, undefined, draft);
  } else if (params.prefill) edit(null, params.prefill);
}

export { ruleBody };
