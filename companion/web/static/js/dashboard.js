// The dashboard: KPI tiles (first response time, 90-day chat response rate with the
// at-risk list and deadlines, automation rate, escalations by reason), charts of buyer
// messages by pillar and intent over time, product mining, unanswered groups, CSV export.

import { query } from "./api.js";
import { chartBox, lines, PALETTE, stackedBars } from "./charts.js";
import { h, mount } from "./dom.js";
import { intentName, pillarName } from "./i18n.js";
import { productMining, unanswered } from "./mining.js";
import { INTENTS, PILLARS } from "./vocab.js";

const RANGES = [["1", "range.day"], ["7", "range.week"], ["30", "range.month"], ["90", "range.quarter"]];
const PILLAR_COLORS = { pre_sale: "#1f77b4", logistics: "#2ca02c", after_sale: "#ee4d2d", general: "#9467bd", pending: "#bbbbbb" };
const pct = (value) => (value == null ? "—" : `${Math.round(value * 1000) / 10}%`);

function duration(t, seconds) {
  if (seconds == null) return "—";
  if (seconds < 90) return t("unit.seconds", { n: Math.round(seconds) });
  if (seconds < 5400) return t("unit.minutes", { n: Math.round(seconds / 60) });
  return t("unit.hours", { n: Math.round(seconds / 360) / 10 });
}

function tile(label, value, sub, kind, role) {
  return h("div", { class: `tile ${kind || ""}`, dataset: { role } },
    h("div", { class: "label" }, label), h("div", { class: "value" }, value), h("div", { class: "sub" }, sub));
}

function tiles(t, report) {
  const rate = report.response_rate || {};
  const times = report.response_times || {};
  const auto = report.automation || {};
  const reasons = Object.entries(report.escalations_by_reason || {}).sort((a, b) => b[1] - a[1]);
  const escalated = reasons.reduce((sum, [, n]) => sum + n, 0);
  const crrKind = rate.crr == null ? "" : rate.crr >= 0.8 ? "good" : rate.crr >= 0.7 ? "warn" : "bad";
  return h("div", { class: "tiles" },
    tile(t("kpi.first_response"), duration(t, times.median_s), t("kpi.first_response_sub", { n: times.replied ?? 0, mean: duration(t, times.mean_s) }), "", "frt"),
    tile(t("kpi.crr"), pct(rate.crr), rate.preset ? t("kpi.crr_preset") : t("kpi.crr_sub", { responded: rate.responded ?? 0, chats: rate.chats ?? 0, open: rate.open_chats ?? 0 }), crrKind, "crr"),
    tile(t("kpi.automation"), pct(auto.rate), t("kpi.automation_sub", { auto: auto.auto_replies ?? 0, manual: auto.manual_replies ?? 0 }), "", "automation"),
    h("div", { class: "tile", dataset: { role: "escalations" } },
      h("div", { class: "label" }, t("kpi.escalations")), h("div", { class: "value" }, String(escalated)),
      h("div", { class: "sub" }, reasons.length ? reasons.map(([reason, n]) => h("div", {}, `${t(`reason.${reason}`)}: ${n}`)) : t("kpi.none"))));
}

async function copyId(t, ctx, id) {
  try {
    await navigator.clipboard.writeText(id);
    ctx.toast(t("risk.copied"), "ok");
  } catch (error) {
    ctx.toast(id, "info");  // no clipboard (insecure context, denied): show it to copy by hand
  }
}

function riskRow(t, ctx, r) {
  const buyer = r.buyer_name || (r.buyer_id ? `#${r.buyer_id}` : t("risk.unknown_buyer"));
  return h("tr", { dataset: { conversationId: r.conversation_id } },
    h("td", {},
      h("div", { class: "risk-buyer", dataset: { role: "buyer" } }, buyer),
      h("div", { class: "row" },
        h("span", { class: "risk-id", dataset: { role: "conversation-id" } }, r.conversation_id),
        h("button", { type: "button", class: "link", dataset: { role: "copy-id" }, onclick: () => copyId(t, ctx, r.conversation_id) }, t("risk.copy")))),
    h("td", {}, new Date(r.started_at * 1000).toLocaleString(t.lang)),
    h("td", {}, new Date(r.deadline * 1000).toLocaleString(t.lang)),
    h("td", {},
      h("span", { class: r.seconds_left < 3600 ? "pill bad" : "pill warn", dataset: { role: "time-left" } }, duration(t, r.seconds_left)),
      r.auto_replied ? h("span", { class: "pill grey", title: t("risk.auto_replied_hint"), dataset: { role: "auto-replied" } }, t("risk.auto_replied")) : null));
}

function atRisk(t, ctx, report) {
  const rows = report.at_risk || [];
  return h("div", { class: "card", dataset: { role: "at-risk" } },
    h("h2", {}, t("risk.title", { n: rows.length })),
    rows.length ? h("div", { class: "table-scroll" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, t("risk.buyer")), h("th", {}, t("risk.started")), h("th", {}, t("risk.deadline")), h("th", {}, t("risk.left")))),
      h("tbody", {}, rows.map((r) => riskRow(t, ctx, r))))) : h("p", { class: "muted" }, t("risk.none")));
}

function bucketLabel(t, start, bucketSeconds) {
  const date = new Date(start * 1000);
  if (bucketSeconds < 86400) return `${String(date.getHours()).padStart(2, "0")}:00`;
  return `${date.getMonth() + 1}/${date.getDate()}`;
}

function drawSeries(t, body, box, kind) {
  const labels = body.buckets.map((b) => bucketLabel(t, b, body.bucket_seconds));
  const intents = Object.keys(INTENTS);
  // An intent with no message in the whole span would only add a flat line and a legend entry.
  const series = body.series.filter((s) => s.values.some((v) => v > 0)).map((s) => ({
    name: body.by === "pillar" ? pillarName(t, s.key) : intentName(t, s.key),
    color: body.by === "pillar" || !(s.key in INTENTS) ? PILLAR_COLORS[s.key] || "#bbbbbb" : PALETTE[intents.indexOf(s.key)],
    values: s.values,
  }));
  (kind === "lines" ? lines : stackedBars)(box.canvas, box.legend, labels, series);
}

async function charts(t, ctx, filters, card) {
  const bucket = Number(filters.days) <= 2 ? "hour" : "day";
  const tz = -new Date().getTimezoneOffset();
  const pillarBox = chartBox(t("chart.by_pillar"));
  const intentBox = chartBox(t("chart.by_intent"));
  pillarBox.canvas.dataset.role = "chart-pillar";
  intentBox.canvas.dataset.role = "chart-intent";
  mount(card, h("div", { class: "grid2" },
    h("div", {}, h("h2", {}, t("chart.by_pillar")), pillarBox.box),
    h("div", {}, h("h2", {}, t("chart.by_intent")), intentBox.box)));
  const get = (by) => ctx.api.get(`/api/v1/insights/timeseries${query({ ...filters, by, bucket, tz })}`);
  const [pillars, intents] = await Promise.all([get("pillar"), get("intent")]);
  drawSeries(t, pillars, pillarBox, "bars");
  drawSeries(t, intents, intentBox, "lines");
  if (pillars.estimated) card.append(h("p", { class: "small muted", dataset: { role: "estimated" } }, t("chart.estimated", { n: pillars.estimated })));
}

async function exportCsv(t, ctx, kind, filters) {
  try {
    const response = await ctx.api.raw(`/api/v1/export/${kind}.csv${query(filters)}`);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `yiwaiwai-${kind}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (error) {
    ctx.toast(ctx.errorText(error), "error");
  }
}

export async function renderDashboard(root, ctx, params = {}) {
  const t = ctx.t;
  let health;
  try {
    health = await ctx.api.get("/api/v1/health");
  } catch (error) {
    mount(root, h("p", { class: "error" }, ctx.errorText(error)));
    return;
  }
  const shops = health.shops || [];
  const filters = { shop_id: params.shop_id || (shops[0] && shops[0].shop_id) || "", days: params.days || "30" };
  const shopPicker = h("select", { dataset: { role: "shop" }, onchange: (e) => ctx.go("dashboard", { ...filters, shop_id: e.target.value }) },
    shops.map((s) => h("option", { value: s.shop_id, selected: s.shop_id === filters.shop_id }, `${s.name} (${s.region})`)));
  const rangePicker = h("select", { dataset: { role: "range" }, onchange: (e) => ctx.go("dashboard", { ...filters, days: e.target.value }) },
    RANGES.map(([days, key]) => h("option", { value: days, selected: days === filters.days }, t(key))));
  const kpis = h("div", { dataset: { role: "kpis" } }, h("p", { class: "muted" }, t("common.loading")));
  const chartCard = h("div", { class: "card", dataset: { role: "charts" } });
  mount(root,
    h("div", { class: "row spread card" },
      h("div", { class: "row" }, h("label", {}, t("dash.shop"), " ", shopPicker), h("label", {}, t("dash.range"), " ", rangePicker),
        health.mode === "demo" ? h("span", { class: "pill warn" }, t("dash.demo")) : null),
      h("div", { class: "row" },
        h("button", { type: "button", dataset: { role: "refresh" }, onclick: () => ctx.go("dashboard", filters) }, t("dash.refresh")),
        h("button", { type: "button", dataset: { role: "export-conversations" }, onclick: () => exportCsv(t, ctx, "conversations", filters) }, t("dash.export_conversations")),
        h("button", { type: "button", dataset: { role: "export-decisions" }, onclick: () => exportCsv(t, ctx, "decisions", filters) }, t("dash.export_decisions")))),
    kpis, chartCard, await productMining(t, ctx, filters), await unanswered(t, ctx, filters));
  ctx.api.get(`/api/v1/insights/kpis${query({ shop_id: filters.shop_id, tz: -new Date().getTimezoneOffset() })}`)
    .then((report) => mount(kpis, tiles(t, report), atRisk(t, ctx, report)))
    .catch((error) => mount(kpis, h("p", { class: "error" }, ctx.errorText(error))));
  charts(t, ctx, filters, chartCard).then(() => { root.dataset.charts = "drawn"; })
    .catch((error) => mount(chartCard, h("p", { class: "error" }, ctx.errorText(error))));
}

export { PILLARS };
