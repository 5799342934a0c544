// Fill every [data-i18n] element of an extension page from _locales (textContent only).

export const t = (key, subs) => chrome.i18n.getMessage(key, subs) || key;

export function localise(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.documentElement.lang = chrome.i18n.getUILanguage();
}

export async function ask(type, fields = {}) {
  const reply = await chrome.runtime.sendMessage({ type, ...fields });
  if (!reply || !reply.ok) throw (reply && reply.error) || { code: "internal" };
  return reply.data;
}
