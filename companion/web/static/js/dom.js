// DOM helpers: every element is built with createElement and every text set with
// textContent (security.md 3.5 L2): no string is ever parsed as HTML in this page.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Build an element: h("button", {class: "x", onclick: fn, dataset: {id: 1}}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** The same for SVG elements (charts). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "value" || key === "checked" || key === "selected" || key === "disabled") {
      el[key] = value;
    } else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Text someone outside the shop wrote (buyer messages, names): isolated for bidi (L2). */
export function buyerText(text, tag = "bdi") {
  const el = document.createElement(tag);
  el.setAttribute("dir", "auto");
  el.className = "buyer-text";
  el.textContent = text == null ? "" : String(text);
  return el;
}

/** Remove every child of an element. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replace the children of `el` with `children`. */
export function mount(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** A <select> with [value, label] options. */
export function select(options, current, attrs = {}) {
  return h(
    "select",
    attrs,
    options.map(([value, label]) => h("option", { value, selected: value === current }, label)),
  );
}

/** Offer a text as a file download (export of packs and CSV made in the page). */
export function download(name, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
