// The condition builder: every condition of the rule model, added from a picker,
// each with its own small editor. Works on a plain `when` object, mutating it in place.

import { h } from "./dom.js";
import { intentName } from "./i18n.js";
import { ENTITIES, INTENTS, LANGS, LISTING_STATUSES, ORDER_STATUSES, PILLARS, PLACEHOLDERS, WEEKDAYS } from "./vocab.js";

const termsText = (list) => (list || []).join(", ");
const parseTerms = (text) => text.split(/[,，、\n]/).map((s) => s.trim()).filter(Boolean);

function checks(values, selected, label, onChange) {
  const chosen = new Set(selected || []);
  return h("div", { class: "checks" }, values.map((value) => h("label", {},
    h("input", {
      type: "checkbox", value, checked: chosen.has(value),
      onchange: (e) => {
        if (e.target.checked) chosen.add(value); else chosen.delete(value);
        onChange(values.filter((v) => chosen.has(v)));
      },
    }),
    " ", label(value))));
}

function terms(value, onChange, placeholder) {
  return h("input", {
    type: "text", class: "wide", value: termsText(value), placeholder,
    oninput: (e) => onChange(parseTerms(e.target.value)),
  });
}

function triState(t, value, onChange) {
  const current = value === true ? "yes" : value === false ? "no" : "yes";
  return h("select", { onchange: (e) => onChange(e.target.value === "yes") },
    ["yes", "no"].map((v) => h("option", { value: v, selected: v === current }, t(`cond.${v}`))));
}

function intentsEditor(t, when, changed) {
  const chosen = new Set(when.intents || []);
  return h("div", { class: "cond-body" }, PILLARS.map((pillar) => h("div", {},
    h("div", { class: "small muted" }, t(`pillar.${pillar}`)),
    checks(Object.keys(INTENTS).filter((i) => INTENTS[i] === pillar), [...chosen],
      (i) => intentName(t, i),
      (list) => {
        for (const i of Object.keys(INTENTS)) if (INTENTS[i] === pillar) chosen.delete(i);
        for (const i of list) chosen.add(i);
        when.intents = Object.keys(INTENTS).filter((i) => chosen.has(i));
        changed();
      }))));
}

function keywordGroups(t, when, changed, rerender) {
  const groups = when.keywords_all || [];
  return h("div", { class: "cond-body" },
    groups.map((group, index) => h("div", { class: "row" },
      terms(group, (list) => { groups[index] = list; changed(); }, t("cond.terms_hint")),
      h("button", { type: "button", class: "link", onclick: () => {
        groups.splice(index, 1); when.keywords_all = groups; changed(); rerender();
      } }, "×"))),
    h("button", { type: "button", onclick: () => {
      groups.push([]); when.keywords_all = groups; rerender();
    } }, t("cond.add_group")));
}

function hoursEditor(t, when, changed) {
  const hours = when.business_hours;
  const set = (key) => (value) => { hours[key] = value; changed(); };
  return h("div", { class: "cond-body" },
    checks(WEEKDAYS, hours.days, (d) => t(`day.${d}`), set("days")),
    h("input", { type: "time", value: hours.start, onchange: (e) => set("start")(e.target.value) }),
    "–",
    h("input", { type: "time", value: hours.end, onchange: (e) => set("end")(e.target.value) }),
    h("select", { onchange: (e) => set("inside")(e.target.value === "inside") },
      ["inside", "outside"].map((v) => h("option", { value: v, selected: (v === "inside") === hours.inside }, t(`cond.${v}`)))));
}

function numberInput(value, attrs, onChange) {
  return h("input", { type: "number", value: value ?? "", ...attrs,
    oninput: (e) => onChange(e.target.value === "" ? null : Number(e.target.value)) });
}

/** Every condition: key, default value, editor(t, when, changed, rerender). */
export const CONDITIONS = {
  intents: { empty: () => [], edit: intentsEditor },
  keywords_any: { empty: () => [], edit: (t, w, c) => terms(w.keywords_any, (v) => { w.keywords_any = v; c(); }, t("cond.terms_hint")) },
  keywords_all: { empty: () => [[]], edit: keywordGroups },
  keywords_none: { empty: () => [], edit: (t, w, c) => terms(w.keywords_none, (v) => { w.keywords_none = v; c(); }, t("cond.terms_hint")) },
  regex: { empty: () => "", edit: (t, w, c) => h("input", { type: "text", class: "wide mono", value: w.regex || "", placeholder: t("cond.regex_hint"), oninput: (e) => { w.regex = e.target.value; c(); } }) },
  languages: { empty: () => [], edit: (t, w, c) => checks(LANGS, w.languages, (l) => t(`lang.${l}`), (v) => { w.languages = v; c(); }) },
  min_confidence: { empty: () => 0.6, edit: (t, w, c) => numberInput(w.min_confidence, { min: 0, max: 1, step: 0.05 }, (v) => { w.min_confidence = v; c(); }) },
  understood: { empty: () => true, edit: (t, w, c) => triState(t, w.understood, (v) => { w.understood = v; c(); }) },
  negative: { empty: () => true, edit: (t, w, c) => triState(t, w.negative, (v) => { w.negative = v; c(); }) },
  wants_human: { empty: () => true, edit: (t, w, c) => triState(t, w.wants_human, (v) => { w.wants_human = v; c(); }) },
  has_order: { empty: () => true, edit: (t, w, c) => triState(t, w.has_order, (v) => { w.has_order = v; c(); }) },
  order_status_in: { empty: () => [], edit: (t, w, c) => checks(ORDER_STATUSES, w.order_status_in, (s) => t(`status.${s}`), (v) => { w.order_status_in = v; c(); }) },
  order_status_not_in: { empty: () => [], edit: (t, w, c) => checks(ORDER_STATUSES, w.order_status_not_in, (s) => t(`status.${s}`), (v) => { w.order_status_not_in = v; c(); }) },
  stock_at_most: { empty: () => 0, edit: (t, w, c) => numberInput(w.stock_at_most, { min: 0, step: 1 }, (v) => { w.stock_at_most = v; c(); }) },
  entities: { empty: () => [], edit: (t, w, c) => checks(ENTITIES, w.entities, (e) => t(`entity.${e}`), (v) => { w.entities = v; c(); }) },
  data_present: { empty: () => [], edit: (t, w, c) => checks(PLACEHOLDERS, w.data_present, (p) => `{{${p}}}`, (v) => { w.data_present = v; c(); }) },
  listing_status: { empty: () => ["answer"], edit: (t, w, c) => checks(LISTING_STATUSES, w.listing_status, (s) => t(`listing.${s}`), (v) => { w.listing_status = v; c(); }) },
  repeat_buyer: { empty: () => true, edit: (t, w, c) => triState(t, w.repeat_buyer, (v) => { w.repeat_buyer = v; c(); }) },
  tags_all: { empty: () => [], edit: (t, w, c) => terms(w.tags_all, (v) => { w.tags_all = v; c(); }, "vip, wholesale") },
  tags_none: { empty: () => [], edit: (t, w, c) => terms(w.tags_none, (v) => { w.tags_none = v; c(); }, "vip, wholesale") },
  business_hours: { empty: () => ({ days: [...WEEKDAYS], start: "09:00", end: "18:00", inside: true }), edit: hoursEditor },
};

/** Conditions that are set (present and not empty) in a `when` object. */
export function activeConditions(when) {
  return Object.keys(CONDITIONS).filter((key) => {
    const value = when[key];
    if (value === undefined || value === null) return false;
    return !(Array.isArray(value) && value.length === 0);
  });
}

/** `when` without empty values, as the API wants it. */
export function cleanWhen(when) {
  const out = {};
  for (const key of activeConditions(when)) {
    let value = when[key];
    if (key === "keywords_all") value = value.filter((g) => g.length);
    if (key === "regex" && !value) continue;
    if (Array.isArray(value) && !value.length) continue;
    out[key] = value;
  }
  return out;
}

/** The builder element; `changed()` is called on every edit. */
export function conditionBuilder(t, when, changed) {
  const root = h("div", { class: "conditions" });
  const shown = new Set(activeConditions(when));
  function render() {
    const rows = [...shown].map((key) => h("div", { class: "cond", dataset: { cond: key } },
      h("div", { class: "cond-label" }, t(`cond.${key}`)),
      CONDITIONS[key].edit(t, when, changed, render),
      h("button", { type: "button", class: "link", title: t("cond.remove"), onclick: () => {
        shown.delete(key); delete when[key]; changed(); render();
      } }, "×")));
    const free = Object.keys(CONDITIONS).filter((key) => !shown.has(key));
    const picker = h("select", { class: "add-condition", onchange: (e) => {
      const key = e.target.value;
      if (!key) return;
      shown.add(key);
      when[key] = CONDITIONS[key].empty();
      changed();
      render();
    } }, h("option", { value: "" }, t("cond.add")), free.map((key) => h("option", { value: key }, t(`cond.${key}`))));
    root.replaceChildren(...(rows.length ? rows : [h("p", { class: "muted" }, t("cond.none"))]), picker);
  }
  render();
  return root;
}
