// Dashboard sections built on /api/v1/insights: per-product question mining with
// drill-down, and the messages no rule answered, grouped, with "draft a rule".

import { query as api_query } from "./api.js";
import { shareBar } from "./charts.js";
import { buyerText, h, mount } from "./dom.js";
import { intentName, pillarName } from "./i18n.js";
import { INTENTS } from "./vocab.js";

const pct = (share) => `${Math.round(share * 100)}%`;

function itemLabel(t, item) {
  return item.item_name ? buyerText(item.item_name, "bdi") : t("mining.item_id", { id: item.item_id });
}

function highlight(t, entry) {
  return h("div", { class: "insight", dataset: { role: "highlight" } },
    t("mining.highlight", { share: pct(entry.share), pillar: pillarName(t, entry.pillar), aspect: t(`aspect.${entry.aspect}`), count: entry.count, of: entry.of }),
    " ", itemLabel(t, entry));
}

function drill(t, ctx, filters, item, panel, intent, aspect) {
  mount(panel, h("p", { class: "muted" }, t("common.loading")));
  ctx.api.get(`/api/v1/insights/products/${encodeURIComponent(item.item_id)}/messages${api_query({ ...filters, intent, aspect })}`)
    .then((body) => mount(panel,
      h("h3", {}, itemLabel(t, item), " · ", intent ? intentName(t, intent) : aspect ? t(`aspect.${aspect}`) : t("mining.all")),
      h("div", { class: "messages-list", dataset: { role: "drill" } }, body.messages.map((m) => h("div", { class: "message" },
        buyerText(m.text), " ", h("span", { class: "pill grey" }, intentName(t, m.intent || "pending")),
        " ", h("span", { class: "small muted" }, new Date(m.created_at * 1000).toLocaleString(t.lang)))))))
    .catch((error) => mount(panel, h("p", { class: "error" }, ctx.errorText(error))));
}

function itemRow(t, ctx, filters, item, panel) {
  const top = item.intents.slice(0, 3);
  return h("tr", { class: "clickable", dataset: { itemId: item.item_id }, onclick: () => drill(t, ctx, filters, item, panel) },
    h("td", {}, itemLabel(t, item)),
    h("td", {}, String(item.total)),
    h("td", {}, top.map((i) => h("div", { class: "row" },
      h("button", { type: "button", class: "link", onclick: (e) => { e.stopPropagation(); drill(t, ctx, filters, item, panel, i.intent); } },
        intentName(t, i.intent)), shareBar(i.share), h("span", { class: "small" }, pct(i.share))))),
    h("td", {}, item.aspects.slice(0, 3).map((a) => h("div", {},
      h("button", { type: "button", class: "link", onclick: (e) => { e.stopPropagation(); drill(t, ctx, filters, item, panel, null, a.aspect); } },
        t(`aspect.${a.aspect}`)), " ", h("span", { class: "small muted" }, pct(a.share))))),
    h("td", {}, item.top_phrasings.map((p) => h("div", { class: "small" }, buyerText(p.text), h("span", { class: "muted" }, ` ×${p.count}`)))));
}

/** Per-product question mining card. */
export async function productMining(t, ctx, filters) {
  const card = h("div", { class: "card", dataset: { role: "mining" } }, h("h2", {}, t("mining.title")), h("p", { class: "muted" }, t("common.loading")));
  ctx.api.get(`/api/v1/insights/products${api_query(filters)}`).then((body) => {
    const panel = h("div", { class: "drill-panel" });
    mount(card, h("h2", {}, t("mining.title")),
      body.highlights.map((entry) => highlight(t, entry)),
      body.items.length ? h("table", {},
        h("thead", {}, h("tr", {}, ["mining.item", "mining.questions", "mining.intents", "mining.aspects", "mining.phrasings"].map((k) => h("th", {}, t(k))))),
        h("tbody", {}, body.items.map((item) => itemRow(t, ctx, filters, item, panel)))) : h("p", { class: "muted" }, t("mining.empty")),
      panel);
  }).catch((error) => mount(card, h("h2", {}, t("mining.title")), h("p", { class: "error" }, ctx.errorText(error))));
  return card;
}

/** A rule draft from an unanswered group: the words its messages share (any of them), its
 * intent unless that is the catch-all `other`, its language, and a template to write. */
export function draftFromGroup(t, group) {
  const when = {};
  const keywords = (group.keywords || []).slice(0, 5);
  if (group.intent in INTENTS && group.intent !== "other") when.intents = [group.intent];
  if (keywords.length) when.keywords_any = keywords;
  if (group.language) when.languages = [group.language];
  const lang = group.language || "en";
  const topic = keywords.length ? `${intentName(t, group.intent)} · ${keywords.slice(0, 2).join(", ")}` : intentName(t, group.intent);
  return {
    name: t("unanswered.draft_name", { intent: topic }).slice(0, 120),
    action: "suggest",
    when,
    templates: { [lang]: "" },
  };
}

/** The messages no rule answered, grouped. */
export async function unanswered(t, ctx, filters) {
  const card = h("div", { class: "card", dataset: { role: "unanswered" } }, h("h2", {}, t("unanswered.title")), h("p", { class: "muted" }, t("common.loading")));
  ctx.api.get(`/api/v1/insights/unanswered${api_query(filters)}`).then((body) => {
    mount(card, h("h2", {}, t("unanswered.title")), h("p", { class: "small muted" }, t("unanswered.hint")),
      body.groups.length ? body.groups.map((group) => h("div", { class: "cond", dataset: { intent: group.intent } },
        h("div", { class: "cond-label" }, intentName(t, group.intent), group.language ? h("div", { class: "small muted" }, t(`lang.${group.language}`)) : null,
          h("div", { class: "small muted" }, t("unanswered.count", { count: group.count }))),
        h("div", { class: "cond-body" },
          h("div", { class: "chips" }, group.keywords.map((k) => h("span", { class: "chip" }, buyerText(k, "bdi")))),
          h("div", { class: "messages-list" }, group.samples.map((s) => h("div", { class: "message" }, buyerText(s.text))))),
        h("button", { type: "button", class: "primary", dataset: { role: "draft-rule" },
          onclick: () => ctx.go("rules", { prefill: draftFromGroup(t, group) }) }, t("unanswered.draft")))) : h("p", { class: "muted" }, t("unanswered.empty")));
  }).catch((error) => mount(card, h("h2", {}, t("unanswered.title")), h("p", { class: "error" }, ctx.errorText(error))));
  return card;
}
