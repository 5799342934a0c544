// Localisation: zh-Hans, zh-Hant and en catalogues in /i18n/*.json, chosen by the
// picker (remembered) or else by the browser's languages. Missing keys fall back
// to English, then to the key itself, so a gap shows up instead of breaking the page.

export const LANGUAGES = [
  ["zh-Hans", "简体中文"],
  ["zh-Hant", "繁體中文"],
  ["en", "English"],
];
const STORAGE_KEY = "yiwaiwai.lang";

/** The page language from a list of browser tags (navigator.languages). */
export function browserLanguage(tags) {
  for (const raw of tags || []) {
    const tag = String(raw).toLowerCase();
    if (/^zh-(hant|tw|hk|mo)/.test(tag)) return "zh-Hant";
    if (tag.startsWith("zh")) return "zh-Hans";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}

export function preferredLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LANGUAGES.some(([code]) => code === saved)) return saved;
  return browserLanguage(navigator.languages || [navigator.language]);
}

export function rememberLanguage(code) {
  localStorage.setItem(STORAGE_KEY, code);
}

async function fetchCatalog(code) {
  const response = await fetch(`/i18n/${code}.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`catalogue ${code}: HTTP ${response.status}`);
  return response.json();
}

/** A translator: t(key, {name: value}) with `{name}` filled in one pass. */
export async function loadTranslator(code) {
  const english = await fetchCatalog("en");
  const own = code === "en" ? english : await fetchCatalog(code);
  const t = (key, vars = {}) => {
    const text = own[key] ?? english[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  };
  t.lang = code;
  t.has = (key) => key in own || key in english;
  return t;
}

/** Fill every [data-i18n] element of the static shell with its text. */
export function translateShell(root, t) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-title]")) {
    el.setAttribute("title", t(el.dataset.i18nTitle));
  }
  document.documentElement.lang = t.lang;
}

/** Localised display name of an intent / pillar id, the id itself when unknown. */
export function intentName(t, intent) {
  return t.has(`intent.${intent}`) ? t(`intent.${intent}`) : intent;
}

export function pillarName(t, pillar) {
  return t.has(`pillar.${pillar}`) ? t(`pillar.${pillar}`) : pillar;
}
