// Messages and the learning loop: correct a message's intent (POST /api/v1/corrections),
// retrain the shop model with progress (POST /api/v1/model/train, then poll the job),
// and see what the live model says about the corrected messages afterwards.

import { query } from "./api.js";
import { buyerText, h, mount } from "./dom.js";
import { intentName } from "./i18n.js";
import { INTENTS } from "./vocab.js";

const POLL_MS = 500;
const PAGE = 100;

/** The intent picker; with no current intent nothing is chosen: the seller must pick one. */
function intentSelect(t, current) {
  const known = current in INTENTS;
  return h("select", { dataset: { role: "intent-select" } },
    known ? null : h("option", { value: "", selected: true, disabled: true }, t("messages.choose")),
    Object.keys(INTENTS).map((i) => h("option", { value: i, selected: i === current }, intentName(t, i))));
}

function modelCard(t, ctx, corrected) {
  const card = h("div", { class: "card", dataset: { role: "model" } });
  const bar = h("span");
  const progress = h("div", { class: "progress", dataset: { role: "train-progress" } }, bar);
  const stage = h("span", { class: "small muted", dataset: { role: "train-stage" } });
  const info = h("div", { class: "small muted" });
  const train = h("button", { type: "button", class: "primary", dataset: { role: "retrain" }, onclick: start }, t("model.retrain"));
  const rollback = h("button", { type: "button", onclick: back }, t("model.rollback"));
  mount(card, h("h2", {}, t("model.title")), info, h("div", { class: "row" }, train, progress, stage, rollback));

  async function refresh() {
    try {
      const model = await ctx.api.get("/api/v1/model");
      mount(info, t("model.status", { model: model.live.id || model.active, corrections: model.corrections }));
      card.dataset.model = model.live.id || model.active;
    } catch (error) {
      mount(info, h("span", { class: "error" }, ctx.errorText(error)));
    }
  }

  async function start() {
    train.disabled = true;
    card.dataset.state = "running";
    try {
      const { job } = await ctx.api.post("/api/v1/model/train", {});
      await follow(job.id);
    } catch (error) {
      card.dataset.state = "failed";
      ctx.toast(ctx.errorText(error), "error");
    }
    train.disabled = false;
    await refresh();
  }

  async function follow(id) {
    for (;;) {
      const { job } = await ctx.api.get(`/api/v1/model/train/${encodeURIComponent(id)}`);
      bar.style.width = `${Math.round(job.progress * 100)}%`;
      stage.textContent = job.state === "running" ? job.stage : t(`model.state.${job.state}`);
      if (job.state !== "running") {
        card.dataset.state = job.state;
        const result = job.result || {};
        ctx.toast(job.state === "activated" ? t("model.activated") : t("model.not_activated", { reason: result.reason || job.error || "" }),
          job.state === "activated" ? "ok" : "error");
        await corrected.recheck();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async function back() {
    try {
      await ctx.api.post("/api/v1/model/rollback", {});
      ctx.toast(t("model.rolled_back"), "ok");
      await corrected.recheck();
    } catch (error) {
      ctx.toast(ctx.errorText(error), "error");
    }
    await refresh();
  }

  corrected.changed = refresh;  // the saved-corrections count moves before any retrain
  refresh();
  return card;
}

/** Remembers the rows corrected in this view and re-asks the live model about them. */
function correctedRows(ctx) {
  const rows = [];
  return {
    changed: () => {},
    add(text, cell) {
      rows.push({ text, cell });
      this.changed();
    },
    async recheck() {
      for (const row of rows) {
        try {
          const now = await ctx.api.post("/api/v1/model/classify", { text: row.text });
          row.cell.dataset.intent = now.intent;
          row.cell.textContent = ctx.t("messages.model_now", { intent: intentName(ctx.t, now.intent), confidence: Math.round(now.confidence * 100) });
        } catch (error) {
          row.cell.textContent = ctx.errorText(error);
        }
      }
    },
  };
}

function correctionControls(t, ctx, message, corrected) {
  const choice = intentSelect(t, message.intent);
  const now = h("div", { class: "small muted", dataset: { role: "now-intent" } });
  const save = h("button", { type: "button", dataset: { role: "correct" }, disabled: !choice.value, onclick: async () => {
    if (!choice.value) return;
    try {
      await ctx.api.post("/api/v1/corrections", {
        text: message.text, intent: choice.value, lang: message.language || undefined, message_id: message.message_id || undefined,
      });
      save.textContent = t("messages.corrected");
      corrected.add(message.text, now);
      ctx.toast(t("messages.correction_saved", { intent: intentName(t, choice.value) }), "ok");
    } catch (error) {
      ctx.toast(ctx.errorText(error), "error");
    }
  } }, t("messages.correct"));
  choice.addEventListener("change", () => { save.disabled = !choice.value; });
  return h("div", { class: "row" }, choice, save, now);
}

function tryBox(t, ctx, corrected) {
  const text = h("input", { type: "text", class: "wide", dir: "auto", dataset: { role: "try-text" }, placeholder: t("messages.try_hint") });
  const out = h("div", { dataset: { role: "try-result" } });
  async function classify() {
    if (!text.value.trim()) return;
    try {
      const result = await ctx.api.post("/api/v1/model/classify", { text: text.value });
      out.dataset.intent = result.intent;
      mount(out, h("p", {}, t("messages.model_now", { intent: intentName(t, result.intent), confidence: Math.round(result.confidence * 100) })),
        correctionControls(t, ctx, { text: text.value, intent: result.intent, language: result.language }, corrected));
    } catch (error) {
      mount(out, h("p", { class: "error" }, ctx.errorText(error)));
    }
  }
  text.addEventListener("keydown", (e) => { if (e.key === "Enter") classify(); });
  return h("div", { class: "card" }, h("h2", {}, t("messages.try_title")),
    h("div", { class: "row" }, text, h("button", { type: "button", dataset: { role: "classify" }, onclick: classify }, t("messages.classify"))), out);
}

/** What the model made of a message; never-classified rows (seeded history) say so plainly. */
function understoodCell(t, m) {
  if (!m.intent) {
    return h("td", { dataset: { classified: "no" } },
      h("span", { class: "pill warn", title: t("messages.not_classified_hint") }, t("messages.not_classified")));
  }
  return h("td", { dataset: { classified: "yes" } }, intentName(t, m.intent),
    m.confidence != null ? h("span", { class: "small muted" }, ` ${Math.round(m.confidence * 100)}%`) : null,
    m.corrected ? h("span", { class: "pill grey" }, t("messages.corrected")) : null);
}

function messageRow(t, ctx, m, corrected) {
  return h("tr", { dataset: { messageId: m.message_id } },
    h("td", { class: "small muted" }, new Date(m.created_at * 1000).toLocaleString(t.lang)),
    h("td", {}, buyerText(m.text)),
    understoodCell(t, m),
    h("td", {}, correctionControls(t, ctx, m, corrected)));
}

export async function renderMessages(root, ctx) {
  const t = ctx.t;
  const corrected = correctedRows(ctx);
  const list = h("div", { class: "card", dataset: { role: "recent" } }, h("h2", {}, t("messages.recent")), h("p", { class: "muted" }, t("common.loading")));
  mount(root, modelCard(t, ctx, corrected), tryBox(t, ctx, corrected), list);
  const page = (offset) => ctx.api.get(`/api/v1/insights/messages${query({ days: 7, limit: PAGE, offset })}`);
  try {
    const first = await page(0);
    if (!first.messages.length) {
      mount(list, h("h2", {}, t("messages.recent")), h("p", { class: "muted" }, t("messages.empty")));
      return;
    }
    const body = h("tbody", {});
    let offset = 0;
    const more = h("button", { type: "button", dataset: { role: "more" }, onclick: async () => {
      more.disabled = true;
      try {
        show(await page(offset));
      } catch (error) {
        ctx.toast(ctx.errorText(error), "error");
      }
      more.disabled = false;
    } }, t("messages.more"));
    function show(result) {
      offset += result.messages.length;
      body.append(...result.messages.filter((m) => m.text).map((m) => messageRow(t, ctx, m, corrected)));
      more.hidden = !result.more;
    }
    mount(list, h("h2", {}, t("messages.recent")),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("messages.when")), h("th", {}, t("messages.text")),
        h("th", {}, t("messages.intent")), h("th", {}, t("messages.fix")))), body),
      h("div", { class: "row" }, more));
    show(first);
  } catch (error) {
    mount(list, h("h2", {}, t("messages.recent")), h("p", { class: "error" }, ctx.errorText(error)));
  }
}
