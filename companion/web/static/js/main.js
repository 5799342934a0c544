// Boot: language, session, then the chosen view. Without a session the page stays
// locked and makes no API call at all (security.md P4). A `#view=...` link followed
// later switches views (hashchange); a language switch redraws the view and keeps
// what it reports through ctx.snapshot() (the rule form being edited).

import { makeApi } from "./api.js";
import { renderDashboard } from "./dashboard.js";
import { h, mount } from "./dom.js";
import { renderFollowups } from "./followups.js";
import { LANGUAGES, loadTranslator, preferredLanguage, rememberLanguage, translateShell } from "./i18n.js";
import { renderMessages } from "./messages.js";
import { renderRules } from "./rules.js";
import { forgetSession, fragmentParams, openSession } from "./session.js";

const VIEWS = { dashboard: renderDashboard, rules: renderRules, messages: renderMessages, followups: renderFollowups };

/** Localised text for an API error: by its stable code, else its message. */
export function errorText(t, error) {
  const code = error && error.code;
  if (code && t.has(`error.${code}`)) return t(`error.${code}`);
  return t("error.generic", { detail: (error && error.message) || String(error) });
}

function makeToast() {
  const el = document.getElementById("toast");
  let timer = null;
  return (text, kind = "info") => {
    el.textContent = text;
    el.className = `toast ${kind}`;
    el.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => { el.hidden = true; }, 5000);
  };
}

function lock(t, reason) {
  forgetSession();
  document.body.dataset.state = "locked";
  document.getElementById("tabs").hidden = true;
  mount(document.getElementById("view"));
  document.getElementById("locked").hidden = false;
  document.getElementById("locked-reason").textContent = reason || "";
}

function buildLanguagePicker(current, onChange) {
  const picker = document.getElementById("lang");
  mount(picker, LANGUAGES.map(([code, label]) => h("option", { value: code, selected: code === current }, label)));
  picker.addEventListener("change", () => onChange(picker.value));
}

async function start() {
  const state = { view: fragmentParams().get("view") || "dashboard", params: {} };
  let t = await loadTranslator(preferredLanguage());
  translateShell(document, t);
  let ctx = null;
  buildLanguagePicker(t.lang, async (code) => {
    rememberLanguage(code);
    t = await loadTranslator(code);
    translateShell(document, t);
    if (ctx) {
      ctx.t = t;
      go(state.view, ctx.snapshot ? ctx.snapshot() : state.params);
    }
  });
  let token = null;
  try {
    token = await openSession();
  } catch (error) {
    lock(t, errorText(t, error));
    return;
  }
  if (!token) {
    lock(t, "");
    return;
  }
  ctx = { t, api: null, toast: makeToast(), errorText: (e) => errorText(ctx.t, e), go };
  ctx.api = makeApi(token, () => lock(ctx.t, ctx.t("locked.expired")));

  function go(view, params = {}) {
    state.view = VIEWS[view] ? view : "dashboard";
    state.params = params;
    ctx.snapshot = null;
    history.replaceState(null, "", `${location.pathname}#view=${state.view}`);
    for (const button of document.querySelectorAll("#tabs button")) {
      button.classList.toggle("active", button.dataset.view === state.view);
    }
    // A fresh #view each time: a view still loading (say the dashboard awaiting its data
    // when a #view link switches to the rules) then fills a detached element, not this one.
    const previous = document.getElementById("view");
    const root = previous.cloneNode(false);
    for (const key of Object.keys(root.dataset)) delete root.dataset[key];
    previous.replaceWith(root);
    root.dataset.view = state.view;
    VIEWS[state.view](root, ctx, state.params);
  }

  document.getElementById("tabs").hidden = false;
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => go(button.dataset.view));
  }
  window.addEventListener("hashchange", () => {
    const params = fragmentParams();
    if (params.has("lt")) {
      location.reload(); // a new launch link in this tab: start over, exchanging and wiping it
      return;
    }
    const view = params.get("view");
    if (view && VIEWS[view] && view !== state.view) go(view);
  });
  document.body.dataset.state = "ready";
  go(state.view);
}

start();
